/**
 * The `HealthCheck` seam: one dependency or resource, observed.
 *
 * Implementer's contract: `run` observes and reports, it never throws (the orchestrator turns
 * a throw or a missed deadline into `fail` anyway); it honours the signal; it says what it
 * observed and against which threshold, so an operator can act without reading code.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckObservation {
  readonly status: CheckStatus;
  readonly observed?: unknown;
  readonly threshold?: unknown;
  readonly message?: string;
}

export interface HealthCheck {
  readonly name: string;
  /** A failing critical check makes the service unhealthy (and not ready); others degrade it. */
  readonly critical: boolean;
  run(signal: AbortSignal): Promise<CheckObservation>;
}

export interface CheckResult extends CheckObservation {
  readonly name: string;
  readonly critical: boolean;
  readonly latency_ms: number;
  readonly checked_at: string;
}

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

/** The pure decision: any critical failure → unhealthy; any failure or warning → degraded. */
export function overallStatus(results: readonly CheckResult[]): OverallStatus {
  if (results.some((r) => r.critical && r.status === 'fail')) return 'unhealthy';
  if (results.some((r) => r.status !== 'pass')) return 'degraded';
  return 'healthy';
}
