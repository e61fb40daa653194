/**
 * `MetricsCollector`: the guide's business-metric API. The static methods record through the
 * collector installed at start-up (a no-op before that), as in the guide; the run engine
 * uses an instance directly. User-sourced labels go through the cardinality guard, and a
 * failure here is counted in `telemetry_errors_total`, never thrown to the caller.
 */
import type { Metrics } from './metrics.js';
import { METRIC } from './metric-names.js';

export class MetricsCollector {
  private static current: MetricsCollector | undefined;

  constructor(readonly metrics: Metrics) {}

  /** Makes this collector the one the static methods record through. */
  static install(collector: MetricsCollector | undefined): void {
    MetricsCollector.current = collector;
  }

  static recordPromptEffectiveness(
    score: number,
    model: string,
    promptType: string,
    userCategory: string,
  ): void {
    MetricsCollector.current?.recordPromptEffectiveness(score, model, promptType, userCategory);
  }

  static recordModelPerformance(
    performanceScore: number,
    model: string,
    metricType: string,
    benchmark: string,
  ): void {
    MetricsCollector.current?.recordModelPerformance(
      performanceScore,
      model,
      metricType,
      benchmark,
    );
  }

  static recordResourceEfficiency(
    efficiencyRatio: number,
    resourceType: string,
    service: string,
    optimizationTarget: string,
  ): void {
    MetricsCollector.current?.recordResourceEfficiency(
      efficiencyRatio,
      resourceType,
      service,
      optimizationTarget,
    );
  }

  /** Runs `record`, containing any failure: telemetry must never break the work it observes. */
  safely(component: string, record: () => void): void {
    try {
      record();
    } catch {
      try {
        this.metrics.telemetryErrors.inc({ component });
      } catch {
        // Nothing more can be done without risking the caller.
      }
    }
  }

  recordPromptEffectiveness(
    score: number,
    model: string,
    promptType: string,
    userCategory: string,
  ): void {
    this.safely('prompt_effectiveness', () => {
      const labels = this.metrics.admit(
        METRIC.promptEffectiveness,
        { model, prompt_type: promptType, user_category: userCategory },
        ['model', 'prompt_type', 'user_category'],
      );
      this.metrics.promptEffectiveness.observe(labels, score);
    });
  }

  recordModelPerformance(
    performanceScore: number,
    model: string,
    metricType: string,
    benchmark: string,
  ): void {
    this.safely('model_performance', () => {
      const labels = this.metrics.admit(
        METRIC.modelPerformance,
        { model, metric_type: metricType, benchmark },
        ['model', 'benchmark'],
      );
      this.metrics.modelPerformance.set(labels, performanceScore);
    });
  }

  recordResourceEfficiency(
    efficiencyRatio: number,
    resourceType: string,
    service: string,
    optimizationTarget: string,
  ): void {
    this.safely('resource_efficiency', () => {
      const labels = this.metrics.admit(
        METRIC.resourceEfficiency,
        { resource_type: resourceType, service, optimization_target: optimizationTarget },
        ['service'],
      );
      this.metrics.resourceEfficiency.set(labels, efficiencyRatio);
    });
  }

  recordTestExecution(status: 'success' | 'failure' | 'error' | 'not_judged', model: string): void {
    this.safely('test_executions', () => {
      this.metrics.testExecutions.inc(
        this.metrics.admit(METRIC.testExecutions, { status, model }, ['model']),
      );
    });
  }
}
