/** The notifiers a configuration turns on; a channel without configuration is off. */
import type { Config } from '../config.js';
import { EmailNotifier } from './notifiers/email-notifier.js';
import type { Notifier } from './notifiers/notifier.js';
import { SlackNotifier } from './notifiers/slack-notifier.js';
import { WebhookNotifier } from './notifiers/webhook-notifier.js';

export function createNotifiers(config: Config['alerting']): Notifier[] {
  const notifiers: Notifier[] = [];
  if (config.slackWebhookUrl !== undefined)
    notifiers.push(new SlackNotifier(config.slackWebhookUrl));
  if (config.smtpUrl !== undefined && config.emailFrom !== undefined && config.emailTo.length > 0) {
    notifiers.push(new EmailNotifier(config.smtpUrl, config.emailFrom, config.emailTo));
  }
  if (config.webhookUrl !== undefined && config.webhookSecret !== undefined) {
    notifiers.push(new WebhookNotifier(config.webhookUrl, config.webhookSecret));
  }
  return notifiers;
}
