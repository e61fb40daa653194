/** What the alert routes take and answer (src/http/route-doc.ts). */
import { z } from 'zod';
import { pageQuerySchema } from '../cards/index.js';
import { pageSchema, timestamp, type RouteDoc } from '../http/index.js';
import { alertmanagerWebhookSchema } from './alert.js';
import { firingQuery } from './alert-routes.js';

const tag = 'Alerts';
const severity = z.enum(['critical', 'warning', 'info']);
const status = z.enum(['firing', 'resolved']);

const storedAlert = z
  .strictObject({
    fingerprint: z.string(),
    status,
    name: z.string(),
    severity,
    summary: z.string(),
    description: z.string(),
    labels: z.record(z.string(), z.string()),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    runbookUrl: z.string().nullable(),
    updated_at: timestamp,
  })
  .meta({ id: 'StoredAlert' });

const alertEvent = z
  .strictObject({
    id: z.string(),
    fingerprint: z.string(),
    name: z.string(),
    status,
    severity,
    at: timestamp,
  })
  .meta({ id: 'AlertEvent' });

export const alertRouteDocs: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/alerts/webhook',
    operationId: 'receiveAlertmanagerWebhook',
    tag,
    summary: "Alertmanager's webhook receiver (payload version 4)",
    body: alertmanagerWebhookSchema.meta({ id: 'AlertmanagerWebhook' }),
    responses: {
      200: {
        description: 'How many alerts arrived and how many changed state',
        schema: z.strictObject({ received: z.number().int(), new: z.number().int() }),
      },
    },
    errors: ['PCS_ERR_ALERT_BAD_PAYLOAD', 'PCS_ERR_ALERT_UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/alerts',
    operationId: 'listFiringAlerts',
    tag,
    summary: 'Alerts firing now',
    query: firingQuery,
    responses: {
      200: {
        description: 'Firing alerts',
        schema: z.strictObject({ items: z.array(storedAlert) }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/alerts/history',
    operationId: 'listAlertHistory',
    tag,
    summary: 'State changes of alerts, newest first',
    query: pageQuerySchema,
    responses: { 200: { description: 'One page of events', schema: pageSchema(alertEvent) } },
  },
];
