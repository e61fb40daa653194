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

  private constructor(
    url: string,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
    this.eventsChannel = `${prefix}:run-events`;
    this.controlChannel = `${prefix}:run-control`;
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
        const { origin, message } = JSON.parse(text) as { origin?: string; message?: unknown };
        if (origin === this.origin || message === undefined) return;
        if (channel === this.eventsChannel) this.emitter.emit('event', message);
        else if (channel === this.controlChannel) this.emitter.emit('control', message);
      } catch (error) {
        logger.warn({ err: error }, 'run event bus: unreadable message');
      }
    });
  }

  /**
   * Connects and subscribes before resolving, so nothing published afterwards is missed. Redis
   * down at start does not stop the process (runs, the database and the outbox do not need it):
   * the clients keep reconnecting, the subscription is made once Redis answers, and events reach
   * other processes from then on.
   */
  static async connect(url: string, prefix: string, logger: Logger): Promise<RedisRunEventBus> {
    const bus = new RedisRunEventBus(url, prefix, logger);
    try {
      await bus.publisher.connect();
      await bus.subscriber.connect();
      await bus.subscriber.subscribe(bus.eventsChannel, bus.controlChannel);
    } catch (error) {
      logger.warn(
        { err: error },
        'run event bus: Redis is not reachable; other processes get events once it is',
      );
      bus.subscriber.subscribe(bus.eventsChannel, bus.controlChannel).catch((e: unknown) => {
        logger.warn({ err: e }, 'run event bus: subscription failed');
      });
    }
    return bus;
  }

  /** Always true: subscribers of other processes cannot be counted from here. */
  hasSubscribers(): boolean {
    return true;
  }

  publish(event: RunEvent): void {
    this.emitter.emit('event', event);
    this.publisher
      .publish(this.eventsChannel, JSON.stringify({ origin: this.origin, message: event }))
      .catch(() => undefined);
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
    this.emitter.removeAllListeners();
    await Promise.all([
      closeRedisClient(this.subscriber, 1000),
      closeRedisClient(this.publisher, 1000),
    ]);
  }
}
