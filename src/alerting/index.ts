export {
  alertmanagerWebhookSchema,
  toNotification,
  severityOf,
  type AlertNotification,
  type Severity,
} from './alert.js';
export {
  AlertDispatcher,
  type DispatcherOptions,
  type DeliveryOutcome,
} from './alert-dispatcher.js';
export { AlertStore } from './alert-store.js';
export { alertRoutes } from './alert-routes.js';
export { createNotifiers } from './create-notifiers.js';
export { passRateAlerts, PASS_RATE_ALERT } from './pass-rate-alerts.js';
export { DeliveryError, type Notifier } from './notifiers/notifier.js';
export { SlackNotifier } from './notifiers/slack-notifier.js';
export { WebhookNotifier, signature } from './notifiers/webhook-notifier.js';
export { alertRouteDocs } from './alert-route-docs.js';
export { regressionAlerts, REGRESSION_ALERT } from './regression-alerts.js';
