/**
 * One notification per Alertmanager group and state change, listing its alerts, as
 * Alertmanager's own Slack receiver does (a group of 1,000 alerts is one message, not 1,000).
 * The list is cut to `MAX_LIST_CHARS` with an "… and N more" line, which keeps the Slack
 * attachment text well inside Slack's limits (it truncates message text past 40,000 characters
 * and advises at most 4,000 for readable text; the title stays under 200).
 */
import { createHash } from 'node:crypto';
import { cutText } from '../util/index.js';
import type { AlertNotification, Severity } from './alert.js';

export const MAX_LIST_CHARS = 3000;
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export interface GroupContext {
  readonly groupKey: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
}

function line(alert: AlertNotification): string {
  const labels = Object.entries(alert.labels)
    .filter(([name]) => name !== 'alertname' && name !== 'severity')
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return `• ${alert.name}${labels === '' ? '' : ` {${labels}}`}: ${alert.summary}`;
}

function list(alerts: readonly AlertNotification[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const [index, alert] of alerts.entries()) {
    const next = cutText(line(alert), 300);
    const more = `… and ${alerts.length - index} more`;
    if (length + next.length + 1 > MAX_LIST_CHARS - more.length - 1) {
      lines.push(more);
      break;
    }
    lines.push(next);
    length += next.length + 1;
  }
  return lines.join('\n');
}

/** The notifications for the alerts of one payload that changed state: one per state. */
export function groupNotifications(
  changed: readonly AlertNotification[],
  group: GroupContext,
): AlertNotification[] {
  const out: AlertNotification[] = [];
  for (const status of ['firing', 'resolved'] as const) {
    const alerts = changed.filter((a) => a.status === status);
    const [first] = alerts;
    if (first === undefined) continue;
    if (alerts.length === 1) {
      out.push(first);
      continue;
    }
    const severity = alerts.reduce<Severity>(
      (worst, a) => (RANK[a.severity] > RANK[worst] ? a.severity : worst),
      'info',
    );
    const runbooks = new Set(alerts.map((a) => a.runbookUrl));
    const ends = alerts.map((a) => a.endsAt).filter((e): e is string => e !== null);
    out.push({
      fingerprint: `group:${createHash('sha256').update(`${group.groupKey}\n${status}`).digest('hex').slice(0, 16)}`,
      status,
      name: cutText(group.groupLabels.alertname ?? first.name, 100),
      severity,
      summary: `${alerts.length} alerts ${status}`,
      description: list(alerts),
      labels: group.commonLabels,
      startsAt: alerts.map((a) => a.startsAt).sort()[0] ?? first.startsAt,
      endsAt: status === 'resolved' ? (ends.sort().at(-1) ?? null) : null,
      runbookUrl: runbooks.size === 1 ? first.runbookUrl : null,
    });
  }
  return out;
}
