/**
 * The InfluxDB `TimeSeriesSink`. InfluxDB 2 (`INFLUXDB_TOKEN`, `INFLUXDB_ORG`,
 * `INFLUXDB_BUCKET`) is written with the official client (@influxdata/influxdb-client, its
 * own buffering and retries switched off: ours are bounded and counted); InfluxDB 1.x
 * (`INFLUXDB_DATABASE`, optional user and password) with the v1 HTTP API, `POST /write?db=…
 * &precision=ns` (the v2 client cannot write to a 1.x server before 1.8). Both send line
 * protocol in nanosecond precision (line-protocol.ts says why). HTTP 400 and 413 (malformed or too large) are permanent:
 * the batch is dropped and counted; anything else is retried. `/ping` is the health probe.
 */
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import type { Logger } from '../telemetry/logging/index.js';
import { cutText } from '../util/index.js';
import type { Backoff } from './backoff.js';
import { toLine, type Point } from './line-protocol.js';
import { PointBuffer } from './point-buffer.js';
import type { SinkMetrics } from './sink-metrics.js';
import { PermanentWriteError, type TimeSeriesSink } from './time-series-sink.js';

export type InfluxTarget =
  | { readonly version: 2; readonly token: string; readonly org: string; readonly bucket: string }
  | {
      readonly version: 1;
      readonly database: string;
      readonly username: string | undefined;
      readonly password: string | undefined;
    };

export interface InfluxSinkOptions {
  readonly url: string;
  readonly target: InfluxTarget;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxBufferedPoints: number;
  readonly backoff: Backoff;
  readonly timeoutMs?: number;
}

const isPermanent = (status: number) => status === 400 || status === 413;

function v1Writer(options: InfluxSinkOptions & { target: { version: 1 } }) {
  const { database, username, password } = options.target;
  const url = new URL('write', options.url.endsWith('/') ? options.url : `${options.url}/`);
  url.searchParams.set('db', database);
  url.searchParams.set('precision', 'ns');
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (username !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  return async (lines: readonly string[]): Promise<void> => {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: lines.join('\n'),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (response.ok) return;
    const text = cutText(await response.text(), 300);
    const message = `InfluxDB answered ${response.status}: ${text}`;
    throw isPermanent(response.status) ? new PermanentWriteError(message) : new Error(message);
  };
}

function v2Writer(options: InfluxSinkOptions & { target: { version: 2 } }) {
  const { token, org, bucket } = options.target;
  const client = new InfluxDB({ url: options.url, token, timeout: options.timeoutMs ?? 10_000 });
  return async (lines: readonly string[]): Promise<void> => {
    const api = client.getWriteApi(org, bucket, 'ns', {
      batchSize: lines.length + 1,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: lines.length + 1,
    });
    api.writeRecords([...lines]);
    try {
      await api.close();
    } catch (error) {
      if (error instanceof HttpError && isPermanent(error.statusCode))
        throw new PermanentWriteError(error.message);
      throw error;
    }
  };
}

export function influxdbSink(
  options: InfluxSinkOptions,
  metrics: SinkMetrics,
  logger: Logger,
): TimeSeriesSink {
  const send =
    options.target.version === 1
      ? v1Writer({ ...options, target: options.target })
      : v2Writer({ ...options, target: options.target });
  const buffer = new PointBuffer('influxdb', send, metrics, logger, {
    batchSize: options.batchSize,
    flushIntervalMs: options.flushIntervalMs,
    maxLines: options.maxBufferedPoints,
    backoff: options.backoff,
  });
  const ping = new URL('ping', options.url.endsWith('/') ? options.url : `${options.url}/`);
  return {
    name: 'influxdb',
    write(points: readonly Point[]) {
      try {
        const lines = points.map((point) => toLine(point));
        buffer.add(lines.filter((line): line is string => line !== undefined));
      } catch (error) {
        logger.warn({ err: error }, 'points could not be encoded');
      }
    },
    flush: () => buffer.flush(),
    async check(signal) {
      try {
        const response = await fetch(ping, { signal });
        const version = response.headers.get('x-influxdb-version');
        return {
          status: response.ok ? 'pass' : 'fail',
          observed: { status: response.status, version, buffered: buffer.size },
        };
      } catch (error) {
        return {
          status: 'fail',
          message: error instanceof Error ? error.message : String(error),
          observed: { buffered: buffer.size },
        };
      }
    },
    close: () => buffer.close(options.timeoutMs ?? 5_000),
  };
}
