/**
 * The notifier registry: one line per channel, a factory from the alerting configuration that
 * returns the notifier, or undefined when the channel is not configured. Adding a channel is
 * its file (a `Notifier`) plus one line here. The e-mail channel's module (and nodemailer, ~80 ms
 * of CPU to load) is loaded only when e-mail is configured.
 */
import type { Config } from '../config.js';
import type { Notifier } from './notifiers/notifier.js';
import { SlackNotifier } from './notifiers/slack-notifier.js';
import { WebhookNotifier } from './notifiers/webhook-notifier.js';

export type NotifierFactory = (
  config: Config['alerting'],
) => Notifier | undefined | Promise<Notifier | undefined>;

export const NOTIFIERS: readonly NotifierFactory[] = [
  (c) => (c.slackWebhookUrl === undefined ? undefined : new SlackNotifier(c.slackWebhookUrl)),
  ({ smtpUrl, emailFrom, emailTo }) =>
    smtpUrl === undefined || emailFrom === undefined || emailTo.length === 0
      ? undefined
      : import('./notifiers/email-notifier.js').then(
          ({ EmailNotifier }) => new EmailNotifier(smtpUrl, emailFrom, emailTo),
        ),
  (c) =>
    c.webhookUrl === undefined || c.webhookSecret === undefined
      ? undefined
      : new WebhookNotifier(c.webhookUrl, c.webhookSecret),
];

/** The configured channels' notifiers, in the order of `NOTIFIERS`. */
export async function createNotifiers(config: Config['alerting']): Promise<Notifier[]> {
  const notifiers = await Promise.all(NOTIFIERS.map((factory) => Promise.resolve(factory(config))));
  return notifiers.filter((n) => n !== undefined);
}
