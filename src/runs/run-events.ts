/**
 * The run event bus: progress events of runs (for WebSocket subscribers) and control messages
 * (cancel) for the process executing a run. `RunEvents` is the in-process bus; with REDIS_URL
 * `RedisRunEventBus` (redis-run-event-bus.ts) carries both between processes.
 */
import { EventEmitter } from 'node:events';
import type { Run, RunResult } from './run-schema.js';

export type RunEvent =
  | { readonly type: 'run.started'; readonly run_id: string; readonly run: Run }
  | { readonly type: 'result'; readonly run_id: string; readonly result: RunResult }
  | { readonly type: 'run.finished'; readonly run_id: string; readonly run: Run };

/** Asks whichever process executes the run to stop it. */
export interface RunControl {
  readonly type: 'run.cancel';
  readonly run_id: string;
}

export interface RunEventBus {
  /** Whether anyone listens: lets publishers skip building events nobody reads. */
  hasSubscribers(): boolean;
  publish(event: RunEvent): void;
  /** Subscribes to every event; returns the function that unsubscribes. */
  subscribe(listener: (event: RunEvent) => void): () => void;
  publishControl(message: RunControl): Promise<void>;
  subscribeControl(listener: (message: RunControl) => void): () => void;
  close(): Promise<void>;
}

export class RunEvents implements RunEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per WebSocket subscription: many are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  hasSubscribers(): boolean {
    return this.emitter.listenerCount('event') > 0;
  }

  publish(event: RunEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  publishControl(message: RunControl): Promise<void> {
    this.emitter.emit('control', message);
    return Promise.resolve();
  }

  subscribeControl(listener: (message: RunControl) => void): () => void {
    this.emitter.on('control', listener);
    return () => this.emitter.off('control', listener);
  }

  close(): Promise<void> {
    this.emitter.removeAllListeners();
    return Promise.resolve();
  }
}
