/**
 * A run comparison that finds a significant regression on a model fires
 * `PromptCardRegressionDetected` (one alert per card and model) and counts
 * `prompt_card_regressions_total{card,model}`; a later comparison of that card and model
 * without a regression resolves the alert. Another regressed comparison while it fires keeps
 * its episode (`startsAt`): no new notification or history event. Same store and dispatcher as
 * every other alert.
 */
import { createHash } from 'node:crypto';
import type { RegressionEvent } from '../runs/index.js';
import type { AlertNotification } from './alert.js';
import type { AlertDispatcher } from './alert-dispatcher.js';
import type { AlertStore } from './alert-store.js';

export const REGRESSION_ALERT = 'PromptCardRegressionDetected';

function fingerprint(cardId: string, model: string): string {
  return createHash('sha256')
    .update(`${REGRESSION_ALERT}\u0000${cardId}\u0000${model}`)
    .digest('hex')
    .slice(0, 16);
}

export function regressionAlerts(deps: {
  store: AlertStore;
  dispatcher: AlertDispatcher;
  /** Counts a regression (the metric, through the cardinality guard). */
  count?: (cardId: string, model: string) => void;
}): (event: RegressionEvent) => Promise<void> {
  return async ({ cardId, runId, baselineRunId, model }) => {
    const id = fingerprint(cardId, model.model);
    const regressed = model.verdict === 'regression';
    if (regressed) deps.count?.(cardId, model.model);
    const episodeStart = (await deps.store.firing()).find((a) => a.fingerprint === id)?.startsAt;
    if (!regressed && episodeStart === undefined) return;
    const now = new Date().toISOString();
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
    const evidence =
      model.p_value !== null
        ? `McNemar exact p = ${model.p_value.toPrecision(3)} (${model.counts.broken} broken, ${model.counts.fixed} fixed)`
        : `bootstrap interval of the pass-rate change ${model.interval === null ? 'n/a' : `[${model.interval.lower.toFixed(3)}, ${model.interval.upper.toFixed(3)}]`}`;
    const notification: AlertNotification = {
      fingerprint: id,
      status: regressed ? 'firing' : 'resolved',
      name: REGRESSION_ALERT,
      severity: 'warning',
      summary: `Run ${runId} regressed on ${model.model}: ${pct(model.baseline_pass_rate)} → ${pct(model.candidate_pass_rate)}`,
      description: `Compared with baseline run ${baselineRunId}: ${evidence}.`,
      labels: {
        alertname: REGRESSION_ALERT,
        severity: 'warning',
        card_id: cardId,
        model: model.model,
      },
      startsAt: episodeStart ?? now,
      endsAt: regressed ? null : now,
      runbookUrl: `docs/runbooks/${REGRESSION_ALERT}.md`,
    };
    if (await deps.store.record(notification)) await deps.dispatcher.dispatch(notification);
  };
}
