/**
 * MLflow tracking of finished runs (`MLFLOW_TRACKING_URI`): each finished run becomes one
 * MLflow run in the experiment `prompt-card/<card id>` (created on first use), with
 * - params (immutable in MLflow, so only the run's configuration): card_id, prompt_type,
 *   models, concurrency, repeat, user_category;
 * - metrics per model, keyed `<provider>/<model>/<name>`: pass_rate, mean_score,
 *   latency_p50_ms, latency_p95_ms, input_tokens, output_tokens, cost_usd, results, errored;
 * - tags: `pcs.run_id` (the idempotency key), `pcs.status`, `mlflow.runName`;
 * - the results as `results.jsonl` where the server proxies artifacts;
 * - status FINISHED (completed), FAILED (failed) or KILLED (cancelled, interrupted).
 * Idempotent per run id: an export finds the MLflow run tagged with the run id before creating
 * one, so a retry or a resumed run updates the same MLflow run. Exports wait in a bounded
 * queue and are retried with backoff; a full queue, a 4xx or exhausted retries drop the export
 * (counted). Runs never wait for MLflow.
 */
import type { Run, RunObserver, RunResult } from '../runs/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { backoffDelayMs, Waiter, type Backoff } from './backoff.js';
import { MlflowError, type LogBatch, type MlflowClient } from './mlflow-client.js';
import type { SinkMetrics } from './sink-metrics.js';
import { cutText } from '../util/index.js';

const SINK = 'mlflow';
export const RUN_ID_TAG = 'pcs.run_id';

export interface MlflowTrackerOptions {
  readonly maxQueuedRuns: number;
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  /** Every result of a run, for the artifact (undefined: no artifact). */
  readonly results?: (runId: string) => AsyncIterable<RunResult>;
}

interface Job {
  readonly run: Run;
  readonly promptType: string;
  attempts: number;
}

/** MLflow metric keys allow letters, digits, `_ - . / ` and spaces. */
const metricKey = (model: string, name: string) =>
  `${model.replace(/:/g, '/').replace(/[^\w\-./ ]/g, '_')}/${name}`;

const STATUS: Record<string, string> = {
  completed: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
  interrupted: 'KILLED',
};

/** The params, metrics and tags of a finished run (pure). */
export function runBatch(run: Run, promptType: string, now: number): LogBatch {
  const timestamp = Date.parse(run.finished_at ?? '') || now;
  const metrics = run.summary.flatMap((s) => {
    const values: [string, number | null][] = [
      ['pass_rate', s.pass_rate],
      ['mean_score', s.mean_score],
      ['latency_p50_ms', s.latency_ms.p50],
      ['latency_p95_ms', s.latency_ms.p95],
      ['input_tokens', s.tokens.input],
      ['output_tokens', s.tokens.output],
      ['cost_usd', s.cost_usd],
      ['results', s.results],
      ['errored', s.errored],
    ];
    return values.flatMap(([name, value]) =>
      value === null ? [] : [{ key: metricKey(s.model, name), value, timestamp, step: 0 }],
    );
  });
  return {
    params: [
      { key: 'card_id', value: run.prompt_card_id },
      { key: 'prompt_type', value: promptType },
      // MLflow 1.x limits a param value to 500 characters.
      { key: 'models', value: cutText(JSON.stringify(run.models), 500) },
      { key: 'concurrency', value: String(run.concurrency) },
      { key: 'repeat', value: String(run.repeat) },
      { key: 'user_category', value: run.user_category },
    ],
    metrics,
    tags: [{ key: 'pcs.status', value: run.status }],
  };
}

export class MlflowTracker {
  private readonly queue: Job[] = [];
  private readonly waiter = new Waiter();
  private readonly experiments = new Map<string, string>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly client: MlflowClient,
    private readonly metrics: SinkMetrics,
    private readonly logger: Logger,
    private readonly options: MlflowTrackerOptions,
  ) {}

  /** The run observer that queues every finished run. */
  observer(): RunObserver {
    return { onRunFinished: (run, cardTags) => this.enqueue(run, cardTags[0] ?? 'default') };
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(run: Run, promptType: string): void {
    if (this.stopped) return;
    if (this.queue.length >= this.options.maxQueuedRuns) {
      this.metrics.writes(SINK, 'dropped', 1);
      this.logger.warn({ runId: run.id }, 'MLflow export queue full; run not exported');
      return;
    }
    this.queue.push({ run, promptType, attempts: 0 });
    this.metrics.queueDepth(SINK, this.queue.length);
    this.running ??= this.loop();
    this.waiter.wake();
  }

  /** Waits until the queue is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) await new Promise((r) => setTimeout(r, 20));
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.waiter.cancel();
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const job = this.queue[0];
      if (job === undefined) {
        await this.waiter.sleep(60_000);
        continue;
      }
      job.attempts++;
      try {
        await this.export(job);
        this.queue.shift();
        this.metrics.writes(SINK, 'sent', 1);
        failures = 0;
      } catch (error) {
        const permanent = error instanceof MlflowError && error.permanent;
        if (permanent || job.attempts >= this.options.maxAttempts) {
          this.queue.shift();
          this.metrics.writes(SINK, 'dropped', 1);
          this.logger.warn({ err: error, runId: job.run.id }, 'MLflow export given up');
        } else {
          failures++;
          this.metrics.writes(SINK, 'failed', 1);
          this.logger[failures === 1 ? 'warn' : 'debug'](
            { err: error, runId: job.run.id, attempts: job.attempts },
            'MLflow export failed; retrying',
          );
          await this.waiter.sleep(backoffDelayMs(failures, this.options.backoff), true);
        }
      }
      this.metrics.queueDepth(SINK, this.queue.length);
    }
  }

  private async export(job: Job): Promise<void> {
    const { run } = job;
    const name = `prompt-card/${run.prompt_card_id}`;
    let experimentId = this.experiments.get(name);
    if (experimentId === undefined) {
      experimentId = await this.client.experimentId(name);
      this.experiments.set(name, experimentId);
    }
    const existing = await this.client.findRun(experimentId, RUN_ID_TAG, run.id);
    const info =
      existing ??
      (await this.client.createRun(
        experimentId,
        `run-${run.id.slice(0, 8)}`,
        Date.parse(run.started_at ?? run.created_at),
        [
          { key: RUN_ID_TAG, value: run.id },
          { key: 'mlflow.source.name', value: 'prompt-card-system' },
        ],
      ));
    await this.client.logBatch(info.run_id, runBatch(run, job.promptType, Date.now()));
    await this.uploadResults(run.id, info.artifact_uri);
    await this.client.updateRun(
      info.run_id,
      STATUS[run.status] ?? 'FINISHED',
      Date.parse(run.finished_at ?? '') || Date.now(),
    );
  }

  private async uploadResults(runId: string, artifactUri: string | undefined): Promise<void> {
    const prefix = 'mlflow-artifacts:/';
    if (this.options.results === undefined || artifactUri?.startsWith(prefix) !== true) return;
    const lines: string[] = [];
    for await (const result of this.options.results(runId)) lines.push(JSON.stringify(result));
    const path = `${artifactUri.slice(prefix.length).replace(/^\/+/, '')}/results.jsonl`;
    const accepted = await this.client.uploadArtifact(
      path,
      lines.join('\n') + '\n',
      'application/x-ndjson',
    );
    if (!accepted) this.logger.debug({ runId }, 'MLflow serves no artifacts; results not uploaded');
  }
}
