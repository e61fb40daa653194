/**
 * The run event bus over Redis pub/sub: every process publishes its runs' progress and control
 * messages on two channels (`<prefix>:run-events`, `<prefix>:run-control`), and every process
 * relays what it hears to its local subscribers (WebSocket clients, the executor). Delivery is
 * at most once, which is enough: a WebSocket client replays stored results from the database
 * first, and an executor that misses a cancel sees it at its next heartbeat. A process's own
 * events reach its own subscribers at once, without Redis (each message carries its origin, and
 * a process skips its own when Redis echoes them), so a single process keeps its live progress
 * while Redis is down.
 *
 * Only a process that can have local progress subscribers (one serving the API's WebSockets)
 * subscribes to the events channel: a worker publishes its runs' events but hears only the
 * control channel, so no worker receives (and Redis does not send it) the result of every other
 * worker — a cost per item that grew with the number of workers.
 *
 * Redis rather than PostgreSQL LISTEN/NOTIFY: it needs a dedicated connection outside the
 * pool per process either way, but NOTIFY payloads are limited to 8,000 bytes (a result with its
 * output is often larger), every notification passes through the database's single queue and
 * its WAL-adjacent locking, and SQLite has no equivalent; the queue already needs Redis.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../telemetry/logging/index.js';
import { closeRedisClient } from './dependency-outage.js';
import type { RunControl, RunEvent, RunEventBus } from './run-events.js';

export class RedisRunEventBus implements RunEventBus {
  private readonly emitter = new EventEmitter();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly eventsChannel: string;
  private readonly controlChannel: string;
  /** This process's bus: messages carry it so that Redis's echo of our own is skipped. */
  private readonly origin = randomUUID();

  /** Events of this turn of the event loop, published together at its check phase. */
  private outgoing: RunEvent[] = [];
  /** The channels this process subscribes to: control always, events when it relays them. */
  private readonly channels: readonly string[];

  private constructor(
    url: string,
    prefix: string,
    private readonly logger: Logger,
    relaysEvents: boolean,
  ) {
    this.emitter.setMaxListeners(0);
    this.eventsChannel = `${prefix}:run-events`;
    this.controlChannel = `${prefix}:run-control`;
    this.channels = relaysEvents
      ? [this.eventsChannel, this.controlChannel]
      : [this.controlChannel];
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
    this.subscriber = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    for (const client of [this.publisher, this.subscriber])
      client.on('error', (error) => logger.warn({ err: error }, 'run event bus: redis error'));
    this.subscriber.on('message', (channel: string, text: string) => {
      // Progress events of every run reach every process; one with no local subscriber (a
      // worker, an API replica without WebSocket clients) does not parse them: with N workers
      // that is N − 1 parses of each result saved.
      if (channel === this.eventsChannel && this.emitter.listenerCount('event') === 0) return;
      try {
        const { origin, message, messages } = JSON.parse(text) as {
          origin?: string;
          message?: unknown;
          messages?: unknown;
        };
        if (origin === this.origin) return;
        if (channel === this.eventsChannel) {
          // Events stored in one batch come in one message (`messages`), in order.
          for (const event of Array.isArray(messages) ? messages : [message])
            if (event !== undefined) this.emitter.emit('event', event);
        } else if (channel === this.controlChannel && message !== undefined)
          this.emitter.emit('control', message);
      } catch (error) {
        logger.warn({ err: error }, 'run event bus: unreadable message');
      }
    });
  }

  /**
   * Connects and subscribes before resolving, so nothing published afterwards is missed. Redis
   * down at start does not stop the process (runs, the database and the outbox do not need it):
   * the clients keep reconnecting, the subscription is made once Redis answers, and events reach
   * other processes from then on. `relaysEvents`: whether this process hears other processes'
   * run events (it serves live progress); false in a worker, whose `subscribe` then hears only
   * its own.
   */
  static async connect(
    url: string,
    prefix: string,
    logger: Logger,
    relaysEvents = true,
  ): Promise<RedisRunEventBus> {
    const bus = new RedisRunEventBus(url, prefix, logger, relaysEvents);
    try {
      await bus.publisher.connect();
      await bus.subscriber.connect();
      await bus.subscriber.subscribe(...bus.channels);
    } catch (error) {
      logger.warn(
        { err: error },
        'run event bus: Redis is not reachable; other processes get events once it is',
      );
      bus.subscriber.subscribe(...bus.channels).catch((e: unknown) => {
        logger.warn({ err: e }, 'run event bus: subscription failed');
      });
    }
    return bus;
  }

  /** Always true: subscribers of other processes cannot be counted from here. */
  hasSubscribers(): boolean {
    return true;
  }

  /**
   * Tells this process's subscribers at once and other processes at the event loop's check
   * phase: the events of one turn (a batch of stored results) go in one PUBLISH, a single one as
   * `{origin, message}`, several as `{origin, messages}`.
   */
  publish(event: RunEvent): void {
    this.emitter.emit('event', event);
    this.outgoing.push(event);
    if (this.outgoing.length === 1) setImmediate(() => this.send());
  }

  private send(): void {
    const events = this.outgoing;
    if (events.length === 0) return;
    this.outgoing = [];
    const body =
      events.length === 1
        ? { origin: this.origin, message: events[0] }
        : { origin: this.origin, messages: events };
    this.publisher.publish(this.eventsChannel, JSON.stringify(body)).catch(() => undefined);
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /**
   * Tells every process. With Redis down the message reaches only this one; the others see the
   * run's stored status at their next heartbeat (a cancel is a database write first).
   */
  async publishControl(message: RunControl): Promise<void> {
    this.emitter.emit('control', message);
    await this.publisher
      .publish(this.controlChannel, JSON.stringify({ origin: this.origin, message }))
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'run event bus: control message not sent (Redis down)'),
      );
  }

  subscribeControl(listener: (message: RunControl) => void): () => void {
    this.emitter.on('control', listener);
    return () => this.emitter.off('control', listener);
  }

  /** Quits both clients, or disconnects them when Redis does not answer within a second. */
  async close(): Promise<void> {
    this.send(); // what this turn published still goes out before the clients quit
    this.emitter.removeAllListeners();
    await Promise.all([
      closeRedisClient(this.subscriber, 1000),
      closeRedisClient(this.publisher, 1000),
    ]);
  }
}
