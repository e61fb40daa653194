/** Progress events of runs, published in process; the WebSocket server relays them. */
import { EventEmitter } from 'node:events';
import type { Run, RunResult } from './run-schema.js';

export type RunEvent =
  | { readonly type: 'run.started'; readonly run_id: string; readonly run: Run }
  | { readonly type: 'result'; readonly run_id: string; readonly result: RunResult }
  | { readonly type: 'run.finished'; readonly run_id: string; readonly run: Run };

export class RunEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per WebSocket subscription: many are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  /** Whether anyone listens: lets publishers skip building events nobody reads. */
  hasSubscribers(): boolean {
    return this.emitter.listenerCount('event') > 0;
  }

  publish(event: RunEvent): void {
    this.emitter.emit('event', event);
  }

  /** Subscribes to every event; returns the function that unsubscribes. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
