/**
 * Metrics of the data sinks, registered on the service's registry:
 * - `sink_writes_total{sink,outcome}`: items (events, points, runs) by outcome: `sent`
 *   (accepted by the sink), `failed` (an attempt failed; the item is kept and retried) and
 *   `dropped` (given up: a full buffer or a permanent rejection; the item is lost to that sink).
 * - `sink_queue_depth{sink}`: items waiting for delivery (outbox rows, buffered points).
 * Recording never throws into the caller.
 */
import client from 'prom-client';
import { METRIC, type Metrics } from '../telemetry/metrics/index.js';

export type SinkOutcome = 'sent' | 'failed' | 'dropped';

export interface SinkMetrics {
  writes(sink: string, outcome: SinkOutcome, count: number): void;
  queueDepth(sink: string, depth: number): void;
}

/** Records nothing (monitoring off). */
export const NO_SINK_METRICS: SinkMetrics = {
  writes: () => undefined,
  queueDepth: () => undefined,
};

export function sinkMetrics(metrics: Metrics | undefined): SinkMetrics {
  if (metrics === undefined) return NO_SINK_METRICS;
  const registers = [metrics.registry];
  const writes = new client.Counter({
    name: METRIC.sinkWrites,
    help: 'Items written to data sinks, by outcome (sent, failed attempt, dropped)',
    labelNames: ['sink', 'outcome'],
    registers,
  });
  const depth = new client.Gauge({
    name: METRIC.sinkQueueDepth,
    help: 'Items waiting for delivery to a data sink',
    labelNames: ['sink'],
    registers,
  });
  return {
    writes(sink, outcome, count) {
      try {
        if (count > 0) writes.inc({ sink, outcome }, count);
      } catch {
        // Metrics never fail a delivery.
      }
    },
    queueDepth(sink, value) {
      try {
        depth.set({ sink }, value);
      } catch {
        // As above.
      }
    },
  };
}
