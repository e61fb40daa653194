/**
 * The app's own alert: a finished run whose pass rate for a model falls below the card's
 * `pass_rate_threshold` fires `PromptCardPassRateBelowThreshold` (one alert per card and
 * model); the next finished run at or above the threshold resolves it. While it fires, further
 * runs below the threshold keep the same episode (its `startsAt`): no new notification and no
 * new history event, as Alertmanager does for an alert that stays active. It goes through the
 * same store and dispatcher as Alertmanager's alerts.
 */
import { createHash } from 'node:crypto';
import type { CardStore } from '../cards/index.js';
import type { Run, RunObserver } from '../runs/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { AlertNotification } from './alert.js';
import type { AlertDispatcher } from './alert-dispatcher.js';
import type { AlertStore } from './alert-store.js';

export const PASS_RATE_ALERT = 'PromptCardPassRateBelowThreshold';

function fingerprint(cardId: string, model: string): string {
  return createHash('sha256')
    .update(`${PASS_RATE_ALERT}\u0000${cardId}\u0000${model}`)
    .digest('hex')
    .slice(0, 16);
}

export function passRateAlerts(deps: {
  cards: CardStore;
  store: AlertStore;
  dispatcher: AlertDispatcher;
  logger: Logger;
}): RunObserver {
  const evaluate = async (run: Run): Promise<void> => {
    if (run.status !== 'completed') return;
    const card = await deps.cards.getCard(run.prompt_card_id);
    const threshold = card?.pass_rate_threshold ?? null;
    if (card === undefined || threshold === null) return;
    // Fingerprint → the start of its firing episode.
    const firing = new Map((await deps.store.firing()).map((a) => [a.fingerprint, a.startsAt]));
    for (const summary of run.summary) {
      if (summary.pass_rate === null) continue;
      const id = fingerprint(card.id, summary.model);
      const below = summary.pass_rate < threshold;
      if (!below && !firing.has(id)) continue;
      const now = new Date().toISOString();
      const episodeStart = firing.get(id);
      const notification: AlertNotification = {
        fingerprint: id,
        status: below ? 'firing' : 'resolved',
        name: PASS_RATE_ALERT,
        severity: 'warning',
        summary: `"${card.title}" passes ${(summary.pass_rate * 100).toFixed(0)} % on ${summary.model}`,
        description: `Run ${run.id}: ${summary.passed} of ${summary.results} test executions passed on ${summary.model}; the card's threshold is ${(threshold * 100).toFixed(0)} %.`,
        labels: {
          alertname: PASS_RATE_ALERT,
          severity: 'warning',
          card_id: card.id,
          model: summary.model,
        },
        startsAt: episodeStart ?? run.started_at ?? now,
        endsAt: below ? null : now,
        runbookUrl: `docs/runbooks/${PASS_RATE_ALERT}.md`,
      };
      if (await deps.store.record(notification)) await deps.dispatcher.dispatch(notification);
    }
  };
  return {
    onRunFinished(run) {
      evaluate(run).catch((error: unknown) =>
        deps.logger.error({ err: error, runId: run.id }, 'pass-rate alert failed'),
      );
    },
  };
}
