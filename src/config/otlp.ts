/** The OTLP/HTTP trace receiver and the online evaluation of the spans it samples. */
import { z } from 'zod';
import { bool, defineSlice, intBetween, matching, positiveInt, variable } from './variable.js';

const positive = () => z.coerce.number({ error: 'must be a number' }).positive('must be positive');

export const otlp = defineSlice({
  title: 'OTLP ingest and online evaluation',
  env: {
    OTLP_INGEST_ENABLED: variable(bool(), {
      default: 'true',
      description:
        'Serve `POST /api/v1/traces` (OTLP/HTTP) and evaluate sampled spans against card rules.',
    }),
    OTLP_MAX_BODY_BYTES: variable(positiveInt(), {
      default: '5242880',
      description:
        'Largest export accepted, compressed and again once decompressed (bytes); larger: 413.',
    }),
    OTLP_MAX_ATTRIBUTES: variable(positiveInt(), {
      default: '1000',
      description: 'Most attributes on one span, resource or span event; more: 400.',
    }),
    OTLP_MAX_ATTRIBUTE_CHARS: variable(positiveInt(), {
      default: '262144',
      description: 'Longest attribute value (characters, nested values as JSON); longer: 400.',
    }),
    ONLINE_EVAL_MAX_BACKLOG: variable(positiveInt(), {
      default: '10000',
      description:
        'Pending online evaluations at which exports are refused with 429 and `Retry-After`.',
    }),
    ONLINE_EVAL_IN_PROCESS: variable(bool(), {
      default: 'true',
      description:
        'Judge pending online evaluations in this process; false: only receive (an API behind evaluating workers).',
    }),
    ONLINE_EVAL_CONCURRENCY: variable(positiveInt(), {
      default: '4',
      description: 'Online evaluations one process judges at a time.',
    }),
    ONLINE_EVAL_LEASE_SECONDS: variable(intBetween(1, 3600), {
      default: '60',
      description:
        'How long a claimed online evaluation stays one process’s; renewed every third of it while its judge works, so another process takes it only after the holder died.',
    }),
    TRACE_URL_TEMPLATE: variable(
      matching(/^https?:\/\/\S*\{trace_id\}\S*$/, 'must be an http(s) URL containing {trace_id}'),
      {
        description:
          'Link from an online evaluation to its trace in a trace UI; `{trace_id}` and `{span_id}` are replaced (Jaeger: `http://jaeger:16686/trace/{trace_id}`, Grafana Tempo: an Explore URL). Unset: no link.',
      },
    ),
    ONLINE_EVAL_BUDGET_USD: variable(positive(), {
      description:
        'Daily (UTC) judge budget of online evaluations in USD, summed over the priced judge calls of every process (`MODEL_PRICES`); once spent, evaluations that need a model are stored not judged with reason `budget`. Unset: no budget.',
    }),
    ONLINE_EVAL_RETENTION_DAYS: variable(positiveInt(), {
      default: '30',
      description:
        'Days a judged online evaluation is kept after it was received; older ones are deleted in batches by a background task.',
    }),
    ONLINE_EVAL_MAX_PER_CARD: variable(positiveInt(), {
      description:
        'Judged online evaluations kept per card (the newest spans); older ones are deleted. Unset: no cap.',
    }),
  },
  config: (e) => ({
    otlp: {
      enabled: e.OTLP_INGEST_ENABLED,
      maxBodyBytes: e.OTLP_MAX_BODY_BYTES,
      maxAttributes: e.OTLP_MAX_ATTRIBUTES,
      maxAttributeChars: e.OTLP_MAX_ATTRIBUTE_CHARS,
      maxBacklog: e.ONLINE_EVAL_MAX_BACKLOG,
      evaluateInProcess: e.ONLINE_EVAL_IN_PROCESS,
      concurrency: e.ONLINE_EVAL_CONCURRENCY,
      /** ONLINE_EVAL_LEASE_SECONDS in milliseconds. */
      leaseMs: e.ONLINE_EVAL_LEASE_SECONDS * 1000,
      traceUrlTemplate: e.TRACE_URL_TEMPLATE ?? null,
      budgetUsd: e.ONLINE_EVAL_BUDGET_USD,
      retentionDays: e.ONLINE_EVAL_RETENTION_DAYS,
      maxPerCard: e.ONLINE_EVAL_MAX_PER_CARD,
    },
  }),
});
