/**
 * The bounded buffer behind a `TimeSeriesSink`: lines wait here and a background loop sends
 * them in batches every `flushIntervalMs` (sooner when a batch is full). A failed batch stays
 * at the head of the buffer and is retried with backoff; a `PermanentWriteError` drops it.
 * When the buffer is full the oldest lines are dropped (the newest describe the present).
 * Memory is bounded by `maxLines`; every outcome is counted in `sink_writes_total`.
 */
import type { Logger } from '../telemetry/logging/index.js';
import { backoffDelayMs, Waiter, type Backoff } from './backoff.js';
import type { SinkMetrics } from './sink-metrics.js';
import { PermanentWriteError } from './time-series-sink.js';

export interface PointBufferOptions {
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxLines: number;
  readonly backoff: Backoff;
}

export class PointBuffer {
  private lines: string[] = [];
  private readonly waiter = new Waiter();
  private running: Promise<void> | undefined;
  /** Serialises batches: one in flight at a time, at the head of `lines`. */
  private chain: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private stopped = false;
  private failures = 0;

  /** `send` delivers one batch of lines or throws (`PermanentWriteError`: never retry it). */
  constructor(
    private readonly sink: string,
    private readonly send: (lines: readonly string[]) => Promise<void>,
    private readonly metrics: SinkMetrics,
    private readonly logger: Logger,
    private readonly options: PointBufferOptions,
  ) {}

  get size(): number {
    return this.lines.length;
  }

  add(lines: readonly string[]): void {
    if (this.stopped || lines.length === 0) return;
    this.lines.push(...lines);
    const excess = Math.min(
      this.lines.length - this.options.maxLines,
      this.lines.length - this.inFlight,
    );
    if (excess > 0) {
      // The oldest lines not in flight go.
      this.lines.splice(this.inFlight, excess);
      this.metrics.writes(this.sink, 'dropped', excess);
    }
    this.metrics.queueDepth(this.sink, this.lines.length);
    this.running ??= this.loop();
    if (this.lines.length >= this.options.batchSize && this.failures === 0) this.waiter.wake();
  }

  /** Sends everything buffered now, one attempt per batch; resolves either way. */
  async flush(): Promise<void> {
    while (this.lines.length > 0) if (!(await this.serial())) return;
  }

  /** Flushes once more (bounded by `deadlineMs`) and stops the loop. */
  async close(deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
    ]);
    clearTimeout(timer);
    this.stopped = true;
    this.waiter.cancel();
    await this.running;
  }

  private serial(): Promise<boolean> {
    const next = this.chain.then(() => this.sendBatch());
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** One batch from the head; true when it left the buffer (sent or dropped). */
  private async sendBatch(): Promise<boolean> {
    const batch = this.lines.slice(0, this.options.batchSize);
    if (batch.length === 0) return true;
    this.inFlight = batch.length;
    try {
      await this.send(batch);
      this.remove(batch.length);
      this.metrics.writes(this.sink, 'sent', batch.length);
      if (this.failures > 0) this.logger.info({ sink: this.sink }, 'time series sink recovered');
      this.failures = 0;
      return true;
    } catch (error) {
      if (error instanceof PermanentWriteError) {
        this.remove(batch.length);
        this.metrics.writes(this.sink, 'dropped', batch.length);
        this.logger.warn({ err: error, sink: this.sink }, 'points rejected by the server; dropped');
        return true;
      }
      this.failures++;
      this.metrics.writes(this.sink, 'failed', batch.length);
      this.logger[this.failures === 1 ? 'warn' : 'debug'](
        { err: error, sink: this.sink, failures: this.failures, buffered: this.lines.length },
        'time series sink unavailable; points stay buffered',
      );
      return false;
    } finally {
      this.inFlight = 0;
    }
  }

  private remove(count: number): void {
    this.inFlight = 0;
    this.lines.splice(0, count);
    this.metrics.queueDepth(this.sink, this.lines.length);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const backingOff = this.failures > 0;
      await this.waiter.sleep(
        backingOff
          ? backoffDelayMs(this.failures, this.options.backoff)
          : this.options.flushIntervalMs,
        backingOff,
      );
      if (this.stopped) return;
      while (this.lines.length > 0 && !this.stopped) if (!(await this.serial())) break;
    }
  }
}
