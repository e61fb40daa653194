// The sinks' clients (kafka-sink.ts, redis-stream-sink.ts, influxdb-sink.ts) are not exported
// here: they load their client libraries (@platformatic/kafka alone is about 48 MB of a
// process's memory), so each is imported where it is configured, on first use.
export { toCloudEvent, EVENT_TYPE_PREFIX, type CloudEvent } from './cloud-event.js';
export type { EventSink } from './event-sink.js';
export { EventOutbox } from './event-outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { eventSinkCheck } from './sink-check.js';
export { createEventRelay, type EventRelay, type EventRelayDeps } from './event-relay.js';
export {
  sinkMetrics,
  NO_SINK_METRICS,
  type SinkMetrics,
  type SinkOutcome,
} from './sink-metrics.js';
export { backoffDelayMs, Waiter, type Backoff } from './backoff.js';
export { toLine, type Point } from './line-protocol.js';
export { PermanentWriteError, type TimeSeriesSink } from './time-series-sink.js';
export { PointBuffer, type PointBufferOptions } from './point-buffer.js';
export {
  MEASUREMENT,
  resultPoint,
  samplePoints,
  summaryPoints,
  timeSeriesObserver,
} from './run-points.js';
export { mlflowCheck, timeSeriesCheck } from './sink-check.js';
export { MlflowClient, MlflowError, type LogBatch, type MlflowRunInfo } from './mlflow-client.js';
export {
  MlflowTracker,
  RUN_ID_TAG,
  runBatch,
  type MlflowTrackerOptions,
} from './mlflow-tracker.js';
