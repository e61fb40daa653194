/**
 * GET /api/openapi.json (the document) and GET /api/docs (Swagger UI from the swagger-ui-dist
 * package, served by this service: the reference works offline, and no inline script is
 * needed, so a strict Content-Security-Policy holds).
 */
import { Router } from 'express';
import { dirname, join } from 'node:path';

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Prompt Card System API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/**
 * `document` builds the OpenAPI document; it is called on the first request for it (and its
 * JSON kept), so a process that is never asked for it does not load the generator (zod-openapi)
 * or hold the document.
 */
export function openApiRoutes(document: () => Promise<object>): Router {
  const router = Router();
  let json: Promise<string> | undefined;
  const assets = dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'));

  router.get('/openapi.json', async (_req, res) => {
    json ??= document().then((built) => JSON.stringify(built));
    res.type('application/json').send(await json);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/assets/:file', (req, res, next) => {
    const file = req.params.file;
    if (file === 'init.js') {
      res.type('application/javascript').send(INIT);
      return;
    }
    if (!ASSETS.has(file)) {
      next();
      return;
    }
    res.sendFile(join(assets, file), { maxAge: '1d' });
  });
  return router;
}

/** `openApiDocument` (openapi-document.ts), loaded on this first call. */
export async function loadOpenApiDocument(
  ...args: Parameters<typeof import('./openapi-document.js').openApiDocument>
): Promise<object> {
  return (await import('./openapi-document.js')).openApiDocument(...args);
}
