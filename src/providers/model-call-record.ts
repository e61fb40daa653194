/** What the model client reports of every model call, for the GenAI metrics. */

/**
 * Why the call was made: a run item's answer, an llm-rubric judgement of a test run
 * (`grader`) or of a production span (`online_grader`), an embedding.
 */
export type ModelOperation = 'chat' | 'grader' | 'online_grader' | 'embedding';

export interface ModelCallRecord {
  readonly operation: ModelOperation;
  /** OpenTelemetry `gen_ai.operation.name`: `chat` (answers and grader calls) or `embeddings`. */
  readonly operationName: 'chat' | 'embeddings';
  readonly provider: string;
  /** The model as requested, without the provider prefix. */
  readonly model: string;
  /** Wall time of the call in seconds, retries and backoff included. */
  readonly durationSeconds: number;
  /** Empty on success; else the error kind (`timeout`, `rate_limited`, …, `cancelled`). */
  readonly errorType: string;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** USD; null when the model has no price. */
  readonly costUsd: number | null;
}

/** Receives every call record; must not throw (failures are the receiver's to contain). */
export type ModelCallListener = (record: ModelCallRecord) => void;
