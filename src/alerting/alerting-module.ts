/**
 * Alerting: the alert store, the dispatcher over the configured notifiers (delivery outcomes
 * counted and logged), pass-rate alerts as a run observer in every process that executes runs,
 * and the Alertmanager webhook route in the API.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { AlertStore } from './alert-store.js';
import { createNotifiers } from './create-notifiers.js';
import { passRateAlerts } from './pass-rate-alerts.js';
import { regressionAlerts } from './regression-alerts.js';

export const alertingModule: ModuleDefinition = {
  name: 'alerting',
  async create({ config, shared, services }) {
    const { metrics, collector, logger } = shared;
    const store = new AlertStore(shared.database.db);
    const dispatcher = new AlertDispatcher(await createNotifiers(config.alerting), {
      onOutcome: (channel, outcome, error) => {
        collector?.safely('alert_metrics', () =>
          metrics?.alertNotifications.inc({ channel, outcome }),
        );
        if (outcome !== 'sent')
          logger.warn({ channel, outcome, error }, 'alert notification not delivered');
      },
    });
    const regressions = regressionAlerts({
      store,
      dispatcher,
      count: (card, model) =>
        collector?.safely('regression_metrics', () =>
          metrics?.promptCardRegressions.inc(
            metrics.admit('prompt_card_regressions_total', { card, model }, ['card', 'model']),
          ),
        ),
    });
    services.alerts = { store, dispatcher, regressions };
    return {
      observers: [passRateAlerts({ cards: shared.cards, store, dispatcher, logger })],
      routes: async ({ recordChange }) => [
        (await import('./alert-routes.js')).alertRoutes({
          store,
          dispatcher,
          token: config.alerting.webhookToken,
          logger,
          record: recordChange,
          onTruncated: (count) =>
            collector?.safely('alert_metrics', () => metrics?.alertWebhookTruncated.inc(count)),
        }),
      ],
    };
  },
};
