/**
 * Starts the real server on 127.0.0.1 with an ephemeral port and a temporary SQLite file,
 * and gives a small JSON client for it.
 */
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';
import { silentLogger } from '../../src/telemetry/logging/index.js';
import { checkResponse } from './response-check.js';
import { tempDir } from './temp-dir.js';

export interface TestServer {
  readonly running: RunningServer;
  readonly url: string;
  readonly config: Config;
  readonly dataDir: string;
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<JsonResponse>;
  /** Stops the server (the data folder stays). */
  stop(): Promise<void>;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  // Tests inspect arbitrary JSON; each test checks the shape it expects.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly text: string;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  // Like any JSON client, writes say they are JSON even without a body (the service refuses
  // state changes without it, against cross-site forms).
  const json: Record<string, string> =
    method === 'GET' || method === 'HEAD' ? {} : { 'content-type': 'application/json' };
  const init: RequestInit = { method, headers: { ...json, ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...headers };
  }
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  checkResponse(method, path, response.status, response.headers.get('content-type'), parsed);
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function startTestServer(
  env: Record<string, string> = {},
  existingDataDir?: string,
  /** The logger is silent unless one is given (a test reading the log lines). */
  options: Omit<StartOptions, 'logger'> & Partial<Pick<StartOptions, 'logger'>> = {},
): Promise<TestServer> {
  const dir =
    existingDataDir === undefined ? tempDir() : { path: existingDataDir, remove: () => undefined };
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir.path, 'test.db')}`,
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'silent',
    // Suites write far more than a client would; the rate limit has its own tests.
    RATE_LIMIT_WRITES: '0',
    SHUTDOWN_DRAIN_MS: '0',
    ...env,
  });
  const running = await startServer(config, { logger: silentLogger(), ...options });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await running.close();
  };
  return {
    running,
    url: running.url,
    config,
    dataDir: dir.path,
    request: (method, path, body, headers) => request(running.url, method, path, body, headers),
    stop,
    dispose: async () => {
      await stop();
      dir.remove();
    },
  };
}
