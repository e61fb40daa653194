/** What the API-key routes take and answer (src/http/route-doc.ts); admin only. */
import { z } from 'zod';
import { idParams, timestamp, type RouteDoc } from '../http/index.js';
import { ROLES } from './identity.js';
import { keyInputSchema } from './key-routes.js';

const tag = 'Access';
const apiKey = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    created_at: timestamp,
    revoked_at: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const keyRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/keys',
    operationId: 'listApiKeys',
    tag,
    summary: 'API keys (never the keys themselves); admin',
    responses: {
      200: { description: 'Every key', schema: z.strictObject({ items: z.array(apiKey) }) },
    },
  },
  {
    method: 'post',
    path: '/api/keys',
    operationId: 'createApiKey',
    tag,
    summary: 'Create a key with a role; the answer is the only time the key is shown; admin',
    body: keyInputSchema.meta({ id: 'ApiKeyInput' }),
    responses: {
      201: {
        description: 'The key record and the key',
        schema: apiKey.extend({ key: z.string() }).meta({ id: 'NewApiKey' }),
      },
    },
  },
  {
    method: 'delete',
    path: '/api/keys/:id',
    operationId: 'revokeApiKey',
    tag,
    summary: 'Revoke a key (revoking twice keeps the first time); admin',
    params: idParams,
    responses: { 204: { description: 'Revoked' } },
    errors: ['PCS_ERR_API_KEY_NOT_FOUND'],
  },
];
