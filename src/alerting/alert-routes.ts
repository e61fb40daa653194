/**
 * POST /api/alerts/webhook receives Alertmanager's webhook (version 4; 400 on a bad payload,
 * 401 without the configured bearer token); every alert is stored by fingerprint before the
 * answer, and new states are handed to the dispatcher after it: one notification per group and
 * state change, listing its alerts (src/alerting/group-notification.ts). GET /api/alerts lists what is
 * firing now (`?severity=`); GET /api/alerts/history the state changes, newest first.
 */
import { Router } from 'express';
import { z } from 'zod';
import { pageQuery } from '../cards/index.js';
import { nextCursor } from '../util/index.js';
import { AppError } from '../errors.js';
import {
  bearerMatches,
  parseOrThrow,
  recordNothing,
  zodIssuesToFields,
  type RecordChange,
} from '../http/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { alertmanagerWebhookSchema, toNotification } from './alert.js';
import type { AlertDispatcher } from './alert-dispatcher.js';
import type { AlertStore } from './alert-store.js';
import { groupNotifications } from './group-notification.js';

export const firingQuery = z.strictObject({
  severity: z
    .enum(['critical', 'warning', 'info'], { error: 'must be critical, warning or info' })
    .optional(),
});

export function alertRoutes(deps: {
  store: AlertStore;
  dispatcher: AlertDispatcher;
  token: string | undefined;
  logger: Logger;
  /** The audit trail: each webhook call that changed an alert's state. */
  record?: RecordChange;
  /** Alertmanager left this many alerts out of a payload (`truncatedAlerts` > 0). */
  onTruncated?: (count: number) => void;
}): Router {
  const router = Router();
  const record = deps.record ?? recordNothing;

  router.post('/alerts/webhook', async (req, res) => {
    if (deps.token !== undefined && !bearerMatches(req.get('authorization'), deps.token)) {
      throw new AppError('PCS_ERR_ALERT_UNAUTHORIZED');
    }
    const parsed = alertmanagerWebhookSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError(
        'PCS_ERR_ALERT_BAD_PAYLOAD',
        'Not an Alertmanager webhook (version 4) payload',
        zodIssuesToFields(parsed.error.issues, req.body),
      );
    }
    if (parsed.data.truncatedAlerts > 0) {
      deps.logger.warn(
        { groupKey: parsed.data.groupKey, truncatedAlerts: parsed.data.truncatedAlerts },
        'Alertmanager truncated an alert group (raise max_alerts in its webhook_config)',
      );
      deps.onTruncated?.(parsed.data.truncatedAlerts);
    }
    const fresh = [];
    for (const alert of parsed.data.alerts) {
      const notification = toNotification(alert);
      if (await deps.store.record(notification)) fresh.push(notification);
    }
    if (fresh.length > 0) {
      await record(req, {
        action: 'alert.received',
        targetId: parsed.data.groupKey,
        after: fresh,
        actor: { subject: 'alertmanager', role: 'token' },
      });
    }
    res.json({ received: parsed.data.alerts.length, new: fresh.length });
    for (const notification of groupNotifications(fresh, parsed.data)) {
      deps.dispatcher
        .dispatch(notification)
        .catch((error: unknown) => deps.logger.error({ err: error }, 'alert dispatch failed'));
    }
  });

  router.get('/alerts', async (req, res) => {
    const query = parseOrThrow(firingQuery, req.query, 'query');
    res.json({ items: await deps.store.firing(query.severity) });
  });

  router.get('/alerts/history', async (req, res) => {
    const page = parseOrThrow(pageQuery('alert-history'), req.query, 'query');
    const found = await deps.store.history(page);
    res.json({
      ...found,
      limit: page.limit,
      offset: page.offset,
      next: nextCursor('alert-history', found.items, page.limit, (e) => [e.at, e.id]),
    });
  });

  return router;
}
