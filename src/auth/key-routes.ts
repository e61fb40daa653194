/**
 * Admin routes of API keys: `GET /api/keys` lists them (never the key), `POST /api/keys`
 * `{name, role}` creates one and answers the key once (201), `DELETE /api/keys/:id` revokes it
 * (204; revoking twice keeps the first time). The access middleware requires the admin role.
 */
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parseOrThrow, recordNothing, type RecordChange } from '../http/index.js';
import type { ApiKeyStore } from './api-key-store.js';
import { ROLES } from './identity.js';

export const keyInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  role: z.enum(ROLES, { error: 'must be viewer, editor, admin or ingest' }),
});

export function keyRoutes(keys: ApiKeyStore, record: RecordChange = recordNothing): Router {
  const router = Router();

  router.get('/keys', async (_req, res) => {
    res.json({ items: await keys.list() });
  });

  router.post('/keys', async (req, res) => {
    const input = parseOrThrow(keyInputSchema, req.body);
    const { apiKey, key } = await keys.create(input.name, input.role);
    await record(req, { action: 'api_key.created', targetId: apiKey.id, after: apiKey });
    res
      .status(201)
      .location(`/api/keys/${apiKey.id}`)
      .set('cache-control', 'no-store')
      .json({ ...apiKey, key });
  });

  router.delete('/keys/:id', async (req, res) => {
    const before = await keys.get(req.params.id);
    if (before === undefined) throw new AppError('PCS_ERR_API_KEY_NOT_FOUND');
    const after = await keys.revoke(req.params.id);
    if (before.revoked_at === null) {
      await record(req, { action: 'api_key.revoked', targetId: before.id, before, after });
    }
    res.status(204).end();
  });

  return router;
}
