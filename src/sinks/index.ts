export { toCloudEvent, EVENT_TYPE_PREFIX, type CloudEvent } from './cloud-event.js';
export type { EventSink } from './event-sink.js';
export { EventOutbox } from './event-outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { redisStreamSink, type RedisStreamOptions } from './redis-stream-sink.js';
export { eventSinkCheck } from './sink-check.js';
export { createEventRelay, type EventRelay, type EventRelayDeps } from './event-relay.js';
export {
  sinkMetrics,
  NO_SINK_METRICS,
  type SinkMetrics,
  type SinkOutcome,
} from './sink-metrics.js';
export { backoffDelayMs, Waiter, type Backoff } from './backoff.js';
export { kafkaSink, CLOUDEVENTS_CONTENT_TYPE, type KafkaSinkOptions } from './kafka-sink.js';
