/**
 * Writes docs/openapi.json from the route descriptions, for the default configuration (the
 * service serves the same document for its own configuration at GET /api/openapi.json), and
 * test/client/api-client.ts, a TypeScript client generated from it by swagger-typescript-api
 * (its test creates a card, a test case and a run with it), and web/src/api/generated.ts, the
 * web UI's API types from the same document. CI runs this and fails when a committed file
 * differs.
 *
 *   npm run generate:openapi
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateApi } from 'swagger-typescript-api';
import { parseConfig } from '../src/config.js';
import { openApiDocument } from '../src/openapi/openapi-document.js';
import { allRouteDocs } from '../src/openapi/index.js';
import { VERSION } from '../src/version.js';

async function main(): Promise<void> {
  const config = parseConfig({});
  const document = openApiDocument(
    allRouteDocs({
      maxConcurrency: config.runs.maxConcurrency,
      defaultConcurrency: config.runs.defaultConcurrency,
    }),
    { version: VERSION },
  );
  writeFileSync('docs/openapi.json', `${JSON.stringify(document, null, 2)}\n`);
  console.log(`docs/openapi.json: ${Object.keys(document.paths ?? {}).length} paths`);

  await generateApi({
    input: resolve('docs/openapi.json'),
    output: resolve('test/client'),
    fileName: 'api-client.ts',
    extractRequestParams: true,
    singleHttpClient: true,
    silent: true,
  });
  // The generator turns type checking off for its file; the client must compile, so it is on.
  const path = 'test/client/api-client.ts';
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^\/\/ @ts-nocheck\n/m, ''));
  console.log(`${path}: generated`);

  // The web UI's types: the same document's schemas, without a client (the UI has its own
  // fetch wrapper, web/src/api/client.ts); web/src/api/types.ts names them for the UI.
  await generateApi({
    input: resolve('docs/openapi.json'),
    output: resolve('web/src/api'),
    fileName: 'generated.ts',
    generateClient: false,
    silent: true,
  });
  const types = 'web/src/api/generated.ts';
  writeFileSync(types, readFileSync(types, 'utf8').replace(/^\/\/ @ts-nocheck\n/m, ''));
  console.log(`${types}: generated`);
}

void main();
