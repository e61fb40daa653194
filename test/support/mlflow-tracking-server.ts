/**
 * The real MLflow tracking server (`mlflow server` from the venv of
 * engines/mlflow/requirements-mlflow.txt, installed by `scripts/install-engines.sh mlflow`) for
 * one test file: a SQLite backend store and the artifact proxy (`--serve-artifacts`) in a
 * temporary folder, one worker on a free 127.0.0.1 port. `stop()` and `start()` restart it on
 * the same port and store. `api` calls MLflow's REST API (JSON in, JSON out).
 */
import { join } from 'node:path';
import { spawnEngine, untilReady, type EngineProcess } from './engine-cache.js';
import { tempDir } from './temp-dir.js';
import { closedPort } from './wire-server.js';

export interface MlflowTrackingServer {
  readonly url: string;
  /** `GET` with a query, or `POST` with a JSON body; throws on a non-2xx answer. */
  api<T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<T>;
  /** The text of an artifact through the proxy, `path` relative to `mlflow-artifacts:/`. */
  artifact(path: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts `mlflow server` from the engine folder `dir` (see engine-cache.ts). */
export async function startMlflowTrackingServer(dir: string): Promise<MlflowTrackingServer> {
  const work = tempDir('pcs-mlflow-');
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  let server: EngineProcess | undefined;
  const start = async () => {
    const engine = spawnEngine(
      join(dir, 'venv', 'bin', 'mlflow'),
      [
        'server',
        '--backend-store-uri',
        `sqlite:///${join(work.path, 'mlflow.db')}`,
        '--serve-artifacts',
        '--artifacts-destination',
        join(work.path, 'artifacts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
      ],
      { cwd: work.path, env: { ...process.env, MLFLOW_TRACKING_URI: '' } },
    );
    server = engine;
    const ready = () => fetch(`${url}/health`).then((r) => r.ok);
    await untilReady(`mlflow server at ${url}`, engine, ready, 300_000);
  };
  await start();
  return {
    url,
    async api<T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) {
      const target = new URL(`/api/2.0/mlflow/${path}`, url);
      if (method === 'GET' && body !== undefined) {
        for (const [k, v] of Object.entries(body)) target.searchParams.set(k, String(v));
      }
      const response = await fetch(target, {
        method,
        ...(method === 'POST'
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }
          : {}),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`MLflow ${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    },
    async artifact(path) {
      const response = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${path}`);
      const text = await response.text();
      if (!response.ok) throw new Error(`MLflow artifact ${path}: ${response.status} ${text}`);
      return text;
    },
    start,
    async stop() {
      const running = server;
      server = undefined;
      await running?.stop();
    },
    async dispose() {
      await server?.stop();
      server = undefined;
      work.remove();
    },
  };
}
