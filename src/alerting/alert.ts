/**
 * Alertmanager's webhook payload (version 4), and the alert the notifiers send on.
 */
import { z } from 'zod';

const labelSet = z.record(z.string(), z.string());

/** Alertmanager writes Go's RFC 3339 (nanoseconds, `Z` or an offset). */
const rfc3339 = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' });

export const alertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet.refine((labels) => typeof labels.alertname === 'string', {
    message: 'must have an alertname label',
  }),
  annotations: labelSet.default({}),
  startsAt: rfc3339,
  endsAt: rfc3339.default('0001-01-01T00:00:00Z'),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(64),
});

export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4', { error: 'must be "4"' }),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().default(''),
  // No count cap: Alertmanager treats a 4xx as final and drops the whole group, so every group
  // it can send is taken, bounded by BODY_LIMIT_BYTES only.
  alerts: z.array(alertmanagerAlertSchema),
});

export type AlertmanagerAlert = z.output<typeof alertmanagerAlertSchema>;
export type AlertmanagerWebhook = z.output<typeof alertmanagerWebhookSchema>;

export type Severity = 'critical' | 'warning' | 'info';

/** What a notifier sends: one alert, firing or resolved. */
export interface AlertNotification {
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly runbookUrl: string | null;
}

export function severityOf(labels: Readonly<Record<string, string>>): Severity {
  const severity = labels.severity;
  return severity === 'critical' || severity === 'warning' ? severity : 'info';
}

export function toNotification(alert: AlertmanagerAlert): AlertNotification {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    name: alert.labels.alertname ?? 'unknown',
    severity: severityOf(alert.labels),
    summary: alert.annotations.summary ?? alert.labels.alertname ?? '',
    description: alert.annotations.description ?? '',
    labels: alert.labels,
    startsAt: alert.startsAt,
    endsAt: alert.status === 'resolved' ? alert.endsAt : null,
    runbookUrl: alert.annotations.runbook_url ?? null,
  };
}
