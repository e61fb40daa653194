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

export function openApiRoutes(document: object): Router {
  const router = Router();
  const json = JSON.stringify(document);
  const assets = dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'));

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
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
