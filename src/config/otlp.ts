/** The OTLP/HTTP trace receiver and the online evaluation of the spans it samples. */
import { bool, defineSlice, matching, positiveInt, variable } from './variable.js';

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
    TRACE_URL_TEMPLATE: variable(
      matching(/^https?:\/\/\S*\{trace_id\}\S*$/, 'must be an http(s) URL containing {trace_id}'),
      {
        description:
          'Link from an online evaluation to its trace in a trace UI; `{trace_id}` and `{span_id}` are replaced (Jaeger: `http://jaeger:16686/trace/{trace_id}`, Grafana Tempo: an Explore URL). Unset: no link.',
      },
    ),
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
      traceUrlTemplate: e.TRACE_URL_TEMPLATE ?? null,
    },
  }),
});
