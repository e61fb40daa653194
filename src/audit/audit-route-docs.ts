/** What the audit route takes and answers (src/http/route-doc.ts); admin only. */
import { z } from 'zod';
import { pageSchema, timestamp, type RouteDoc } from '../http/index.js';
import { auditQuerySchema } from './audit-routes.js';

const record = z
  .strictObject({
    seq: z.number().int(),
    at: timestamp,
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    target_id: z.string(),
    digest: z.string().meta({ description: 'SHA-256 of the JSON {before, after} of the change' }),
    signed: z.boolean(),
    key_id: z.string().nullable(),
  })
  .meta({ id: 'AuditRecord' });

export const auditRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/audit',
    operationId: 'listAuditRecords',
    tag: 'Access',
    summary: 'The audit trail, newest first, with filters; admin',
    query: auditQuerySchema,
    responses: {
      200: {
        description: 'One page of records; `signed` says whether new records are signed',
        schema: pageSchema(record).extend({ signed: z.boolean() }),
      },
    },
  },
];
