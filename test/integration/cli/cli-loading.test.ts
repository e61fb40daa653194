/**
 * What `prompt-cards eval` loads: the sources run file by file (through tsx) load no part of the
 * API's HTTP layer, and the bundled command (scripts/build-cli.mjs) compiles one script of its own
 * and, of node_modules, only the packages kept outside the bundle. The modules are counted by a
 * preload (bench/count-modules.cjs's hook, here listing the files).
 */
import assert from 'node:assert/strict';
import { isAscii } from 'node:buffer';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../support/temp-dir.js';

const REPO = process.cwd();
const TSX = join(REPO, 'node_modules/tsx/dist/loader.mjs');

const dir = tempDir('pcs-cli-loading-');
const preload = join(dir.path, 'list-modules.cjs');
writeFileSync(
  preload,
  `const Module = require('node:module');
const compile = Module.prototype._compile;
const files = [];
Module.prototype._compile = function (content, filename) { files.push(filename); return compile.call(this, content, filename); };
process.on('exit', () => require('node:fs').writeFileSync(process.env.LIST_OUT, files.join('\\n')));
`,
);
const suite = join(dir.path, 'suite.yaml');
writeFileSync(
  suite,
  `prompts:\n  - 'Repeat: item {{n}}'\nproviders:\n  - id: simulated:fast\ntests:\n  - vars: { n: "1" }\n    assert:\n      - type: contains\n        value: item\n`,
);

/** The files the command compiled as CommonJS, in load order. */
function loaded(entry: readonly string[]): string[] {
  const out = join(dir.path, 'files.txt');
  const result = spawnSync(process.execPath, [...entry, 'eval', '-c', suite], {
    cwd: dir.path,
    env: { ...process.env, CI: 'true', LIST_OUT: out },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(out, 'utf8').split('\n');
}

const packageOf = (file: string): string | undefined =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];

after(() => dir.remove());

describe('what prompt-cards eval loads', () => {
  it('file by file, loads no part of the API process: no app, HTTP layer or OpenAPI document', () => {
    const files = loaded(['-r', preload, '--import', TSX, join(REPO, 'src/cli/main.ts')]);
    const ours = files.filter((f) => f.startsWith(join(REPO, 'src') + '/'));
    assert.ok(
      ours.some((f) => f.endsWith('src/cli/eval-command.ts')),
      'the eval command ran',
    );
    const apiOnly = ours.filter((f) =>
      /src\/(app|server)\.ts$|src\/compose\/api-http\.ts$|src\/openapi\//.test(f),
    );
    assert.deepEqual(apiOnly, []);
  });

  it('bundled, compiles one script of its own and only the packages kept outside the bundle', () => {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO });
    const bundle = join(REPO, 'dist/cli/prompt-cards.cjs');
    // ASCII, so bin/run-bundle.mjs reads it without decoding UTF-8.
    assert.ok(isAscii(readFileSync(bundle)), 'the bundle holds a non-ASCII byte');
    const files = loaded(['-r', preload, bundle]).filter((f) => f !== '');
    assert.deepEqual(
      files.filter((f) => packageOf(f) === undefined),
      [bundle],
    );
    // better-sqlite3 (a native addon) and the two small packages that locate its binary; and
    // picomatch, which tinyglobby's fdir requires at run time by name (createRequire).
    const packages = [...new Set(files.map(packageOf).filter((p) => p !== undefined))].sort();
    assert.deepEqual(packages, ['better-sqlite3', 'bindings', 'file-uri-to-path', 'picomatch']);
    assert.ok(readdirSync(join(REPO, 'dist/cli')).includes('prompt-cards.cjs'));
  });

  it('bundled, runs the kinds whose packages load parsers or data files on first use', () => {
    // meteor reads WordNet's dictionary files from beside its package: a bundled copy looked for
    // them beside the bundle, never got an answer, and the command ended with exit 0 and no
    // summary. "large" matches "big" only through WordNet's synonyms.
    const kinds = join(dir.path, 'kinds.yaml');
    writeFileSync(
      kinds,
      `prompts:\n  - 'Repeat: the house is large'\nproviders:\n  - id: simulated:fast\ntests:\n  - assert:\n` +
        [
          '      - { type: meteor, value: "Repeat: the house is big", threshold: 0.7 }',
          '      - { type: rouge-n, value: "the house is large", threshold: 0.5 }',
          '      - { type: bleu, value: "Repeat: the house is large", threshold: 0.1 }',
          '      - { type: levenshtein, value: "x", threshold: 1000 }',
          '      - { type: not-is-sql }',
          '      - { type: not-is-xml }',
          '      - { type: not-is-html }',
          '      - { type: not-contains-json }',
        ].join('\n') +
        '\n',
    );
    const result = spawnSync(
      process.execPath,
      [join(REPO, 'dist/cli/prompt-cards.cjs'), 'eval', '-c', kinds],
      { cwd: dir.path, env: { ...process.env, CI: 'true' }, encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^PASS simulated:fast: 1\/1 passed/m, result.stderr);
  });
});
