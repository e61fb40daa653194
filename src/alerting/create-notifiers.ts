/**
 * The notifier registry: one line per channel, a factory from the alerting configuration that
 * returns the notifier, or undefined when the channel is not configured. Adding a channel is
 * its file (a `Notifier`) plus one line here.
 */
import type { Config } from '../config.js';
import { EmailNotifier } from './notifiers/email-notifier.js';
import type { Notifier } from './notifiers/notifier.js';
import { SlackNotifier } from './notifiers/slack-notifier.js';
import { WebhookNotifier } from './notifiers/webhook-notifier.js';

export type NotifierFactory = (config: Config['alerting']) => Notifier | undefined;

export const NOTIFIERS: readonly NotifierFactory[] = [
  (c) => (c.slackWebhookUrl === undefined ? undefined : new SlackNotifier(c.slackWebhookUrl)),
  (c) =>
    c.smtpUrl === undefined || c.emailFrom === undefined || c.emailTo.length === 0
      ? undefined
      : new EmailNotifier(c.smtpUrl, c.emailFrom, c.emailTo),
  (c) =>
    c.webhookUrl === undefined || c.webhookSecret === undefined
      ? undefined
      : new WebhookNotifier(c.webhookUrl, c.webhookSecret),
];

export function createNotifiers(config: Config['alerting']): Notifier[] {
  return NOTIFIERS.flatMap((factory) => factory(config) ?? []);
}
