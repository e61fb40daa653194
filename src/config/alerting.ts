/** Alertmanager's webhook into the service, and the notifiers it dispatches to. */
import { z } from 'zod';
import { commaList, defineSlice, httpUrl, matching, variable } from './variable.js';

export const alerting = defineSlice({
  title: 'Alerting',
  env: {
    ALERT_WEBHOOK_TOKEN: variable(z.string(), {
      secret: true,
      description:
        'Bearer token Alertmanager must send to `POST /api/alerts/webhook`; unset: no token needed.',
    }),
    SLACK_WEBHOOK_URL: variable(httpUrl(), {
      secret: true,
      description:
        'Slack incoming webhook (its URL is its credential); unset: no Slack notifications.',
    }),
    SMTP_URL: variable(matching(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL'), {
      description:
        'SMTP server for e-mail alerts (`smtp://user:password@smtp.example.com:587`); e-mail needs it, `ALERT_EMAIL_FROM` and `ALERT_EMAIL_TO`.',
    }),
    ALERT_EMAIL_FROM: variable(z.email({ error: 'must be an e-mail address' }), {
      description: 'Sender of e-mail alerts.',
    }),
    ALERT_EMAIL_TO: variable(
      commaList().refine((list) => list.every((a) => z.email().safeParse(a).success), {
        message: 'must be comma-separated e-mail addresses',
      }),
      { description: 'Comma-separated recipients of e-mail alerts.' },
    ),
    ALERT_WEBHOOK_URL: variable(httpUrl(), {
      // Receivers often put a token in the path or query (Teams, Discord, chat bridges).
      secret: true,
      description:
        'Generic webhook receiver: JSON signed with HMAC-SHA256 (`X-PCS-Signature`); its path and query are treated as credentials; unset: off.',
    }),
    ALERT_WEBHOOK_SECRET: variable(z.string(), {
      secret: true,
      description:
        'HMAC-SHA256 key of the generic webhook’s signature (required with `ALERT_WEBHOOK_URL`).',
    }),
  },
  config: (e) => ({
    alerting: {
      webhookToken: e.ALERT_WEBHOOK_TOKEN,
      slackWebhookUrl: e.SLACK_WEBHOOK_URL,
      smtpUrl: e.SMTP_URL,
      emailFrom: e.ALERT_EMAIL_FROM,
      emailTo: e.ALERT_EMAIL_TO ?? [],
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookSecret: e.ALERT_WEBHOOK_SECRET,
    },
  }),
});
