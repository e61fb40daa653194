/**
 * `HealthOrchestrator`: runs the checks in parallel, each under a deadline, caches each result
 * briefly so that frequent probes cannot overload a dependency, and exports every result as
 * `health_check_status{check}` and `health_check_duration_seconds{check}`.
 */
import type { CheckResult, HealthCheck, OverallStatus } from './health-check.js';
import { overallStatus } from './health-check.js';

export interface HealthOrchestratorOptions {
  readonly deadlineMs?: number;
  readonly cacheTtlMs?: number;
  /** Injected for tests; milliseconds. */
  readonly now?: () => number;
  readonly onResult?: (result: CheckResult) => void;
}

export interface ComprehensiveHealth {
  readonly status: OverallStatus;
  readonly checked_at: string;
  readonly checks: CheckResult[];
}

const STATUS_VALUE = { pass: 1, warn: 0.5, fail: 0 } as const;
export const statusValue = (status: CheckResult['status']): number => STATUS_VALUE[status];

export class HealthOrchestrator {
  private readonly cache = new Map<string, { result: CheckResult; until: number }>();
  private readonly inFlight = new Map<string, Promise<CheckResult>>();
  private shuttingDown = false;
  private readonly now: () => number;

  constructor(
    private readonly checks: readonly HealthCheck[],
    private readonly options: HealthOrchestratorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  names(): string[] {
    return this.checks.map((c) => c.name);
  }

  /** From the moment shutdown begins, the service is not ready. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  async getComprehensiveHealth(): Promise<ComprehensiveHealth> {
    const checks = await Promise.all(this.checks.map((check) => this.result(check)));
    return {
      status: overallStatus(checks),
      checked_at: new Date(this.now()).toISOString(),
      checks,
    };
  }

  /** One check's result, or undefined when no check has that name. */
  async getServiceHealth(name: string): Promise<CheckResult | undefined> {
    const check = this.checks.find((c) => c.name === name);
    return check === undefined ? undefined : this.result(check);
  }

  async isReady(): Promise<boolean> {
    if (this.shuttingDown) return false;
    const critical = await Promise.all(
      this.checks.filter((c) => c.critical).map((c) => this.result(c)),
    );
    return critical.every((r) => r.status !== 'fail');
  }

  /** Liveness: answering at all proves the event loop turns; no dependency is consulted. */
  isLive(): boolean {
    return true;
  }

  private result(check: HealthCheck): Promise<CheckResult> {
    const cached = this.cache.get(check.name);
    if (cached !== undefined && cached.until > this.now()) return Promise.resolve(cached.result);
    // Concurrent probes share one run of the check.
    const running = this.inFlight.get(check.name);
    if (running !== undefined) return running;
    const promise = this.runCheck(check).finally(() => this.inFlight.delete(check.name));
    this.inFlight.set(check.name, promise);
    return promise;
  }

  private async runCheck(check: HealthCheck): Promise<CheckResult> {
    const deadline = this.options.deadlineMs ?? 2000;
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new Error('deadline'));
        reject(new Error(`no answer within ${deadline} ms`));
      }, deadline);
    });
    let observation;
    try {
      observation = await Promise.race([check.run(controller.signal), timeout]);
    } catch (error) {
      observation = {
        status: 'fail' as const,
        message: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
    const result: CheckResult = {
      name: check.name,
      critical: check.critical,
      ...observation,
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
      checked_at: new Date(this.now()).toISOString(),
    };
    this.cache.set(check.name, { result, until: this.now() + (this.options.cacheTtlMs ?? 2000) });
    this.options.onResult?.(result);
    return result;
  }
}
