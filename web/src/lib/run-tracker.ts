/**
 * The live state of one run built from its WebSocket events and HTTP pages. Results are kept by
 * id, so the replay a reconnect asks for (`since` = results held) and a live event that races it
 * never count twice; counts are derived from the results held, so they grow while the run runs.
 * The run's own progress is taken only when it knows more (a finished run, or results not yet
 * replayed).
 */
import type { Run, RunEvent, RunProgress, RunResult } from '../api/types';
import { verdictOf } from './result-filter';

export class RunTracker {
  private readonly byId = new Map<string, RunResult>();
  private readonly ordered: RunResult[] = [];
  private counts = { passed: 0, failed: 0, errored: 0, not_judged: 0 };
  private cached: { version: number; results: readonly RunResult[] } | undefined;
  run: Run | undefined;
  /** Increases on every change, for renderers that compare versions. */
  version = 0;

  constructor(readonly runId: string) {}

  /** Results in the order received (completion order). */
  get results(): readonly RunResult[] {
    return this.ordered;
  }

  /**
   * The results as a new array whenever they changed (the same array otherwise), so renderers
   * can memoise on its identity.
   */
  snapshot(): readonly RunResult[] {
    if (this.cached === undefined || this.cached.version !== this.version)
      this.cached = { version: this.version, results: this.ordered.slice() };
    return this.cached.results;
  }

  /** The `since` to send on (re)subscribe: results held, as the server counts them. */
  get since(): number {
    return this.ordered.length;
  }

  /** Applies one event; returns whether anything changed. Events of other runs are ignored. */
  apply(event: RunEvent): boolean {
    if (event.run_id !== this.runId) return false;
    switch (event.type) {
      case 'subscribed':
      case 'run.started':
      case 'run.finished':
        this.run = event.run;
        this.version += 1;
        return true;
      case 'result':
        return this.add(event.result);
      case 'error':
        return false;
    }
  }

  /** Adds results from an HTTP page or an event; duplicates are dropped. */
  add(...results: RunResult[]): boolean {
    let changed = false;
    for (const result of results) {
      if (result.run_id !== this.runId || this.byId.has(result.id)) continue;
      this.byId.set(result.id, result);
      this.ordered.push(result);
      this.counts[verdictOf(result)] += 1;
      changed = true;
    }
    if (changed) this.version += 1;
    return changed;
  }

  /** Progress as the user should see it now: the larger of what was received and what the run said. */
  progress(): RunProgress {
    const total = this.run?.progress.total ?? 0;
    const seen = { completed: this.ordered.length, ...this.counts };
    const stored = this.run?.progress;
    const best =
      stored !== undefined && stored.completed > seen.completed
        ? {
            completed: stored.completed,
            passed: stored.passed,
            failed: stored.failed,
            errored: stored.errored,
            // A server that predates not_judged counted every answer as judged.
            not_judged: stored.not_judged ?? 0,
          }
        : seen;
    return { total, ...best, remaining: Math.max(0, total - best.completed) };
  }

  /** queued or running. */
  isActive(): boolean {
    return this.run === undefined || this.run.status === 'queued' || this.run.status === 'running';
  }
}
