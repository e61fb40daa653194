/**
 * Run events as CloudEvents 1.0 in structured JSON mode (the whole event is the message).
 * `id` is unique per event and written once, into the outbox row, so every delivery attempt
 * carries the same id: consumers de-duplicate on (`source`, `id`) as the spec says. A result
 * event's id is the result's id. `subject` is the run id (and the Kafka key).
 *
 * Result events leave out the rendered prompt, the model output and the assertions' reasons
 * (they can be large and quote user text: the output, the expected output; with encryption at
 * rest the outbox row must not hold them in clear); the assertions keep type, pass, score and
 * weight. Consumers that need the texts read `GET /api/runs/{id}/results`.
 */
import { randomUUID } from 'node:crypto';
import type { RunResult, RunStateChange } from '../runs/index.js';

export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  /** `com.promptcards.run.created|started|finished|cancelled|interrupted`, `com.promptcards.result.recorded`. */
  readonly type: string;
  /** The run id. */
  readonly subject: string;
  /** RFC 3339 time of the change. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: unknown;
}

export const EVENT_TYPE_PREFIX = 'com.promptcards.';

/** The CloudEvent of one run state change; `now` is the time of the transaction. */
export function toCloudEvent(change: RunStateChange, source: string, now: Date): CloudEvent {
  const base = {
    specversion: '1.0' as const,
    source,
    time: now.toISOString(),
    datacontenttype: 'application/json' as const,
  };
  if (change.kind === 'result') {
    const result: { -readonly [K in keyof RunResult]?: unknown } = { ...change.result };
    delete result.rendered_prompt;
    delete result.output;
    result.assertions = change.result.assertions.map((a) => ({
      type: a.type,
      pass: a.pass,
      score: a.score,
      weight: a.weight,
      ...(a.error_type === undefined ? {} : { error_type: a.error_type }),
    }));
    return {
      ...base,
      id: change.result.id,
      type: `${EVENT_TYPE_PREFIX}result.recorded`,
      subject: change.result.run_id,
      data: result,
    };
  }
  return {
    ...base,
    id: randomUUID(),
    type: `${EVENT_TYPE_PREFIX}run.${change.kind}`,
    subject: change.run.id,
    data: change.run,
  };
}
