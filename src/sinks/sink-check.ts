/**
 * Health of an event sink: its own reachability probe plus the outbox rows still waiting.
 * Not critical: the service runs, and keeps its events, while the sink is down.
 */
import type { HealthCheck } from '../health/index.js';
import type { EventSink } from './event-sink.js';
import type { TimeSeriesSink } from './time-series-sink.js';

export function eventSinkCheck(sink: EventSink, pending: () => Promise<number>): HealthCheck {
  return {
    name: `sink-${sink.name}`,
    critical: false,
    async run(signal) {
      const observation = await sink.check(signal);
      let waiting: number | undefined;
      try {
        waiting = await pending();
      } catch {
        waiting = undefined;
      }
      const observed =
        typeof observation.observed === 'object' && observation.observed !== null
          ? observation.observed
          : {};
      return { ...observation, observed: { ...observed, outbox_pending: waiting } };
    },
  };
}

/** Health of a time series sink: reachability and the points it holds. Not critical. */
export function timeSeriesCheck(sink: TimeSeriesSink): HealthCheck {
  return { name: `sink-${sink.name}`, critical: false, run: (signal) => sink.check(signal) };
}

/** Health of the MLflow tracking server (`GET /health`). Not critical. */
export function mlflowCheck(ping: (signal: AbortSignal) => Promise<number>): HealthCheck {
  return {
    name: 'sink-mlflow',
    critical: false,
    async run(signal) {
      try {
        const status = await ping(signal);
        return { status: status === 200 ? 'pass' : 'fail', observed: { status } };
      } catch (error) {
        return { status: 'fail', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
