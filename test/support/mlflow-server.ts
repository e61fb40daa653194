/**
 * A loopback MLflow tracking server implementing the documented REST endpoints the tracker
 * calls (mlflow.org/docs/latest/rest-api.html), with their request and response shapes and
 * error codes: experiments get-by-name (404 RESOURCE_DOES_NOT_EXIST) and create (400
 * RESOURCE_ALREADY_EXISTS), runs create / search (tag equality filters) / log-batch (limits of
 * 1000 metrics, 100 params, 100 tags; params immutable: 400 INVALID_PARAMETER_VALUE) / update,
 * the artifact proxy's PUT, and /health. `failNext` answers the next requests with 503
 * TEMPORARILY_UNAVAILABLE. It stores what it receives for the test to check. Not MLflow.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredRun {
  readonly info: {
    run_id: string;
    run_uuid: string;
    experiment_id: string;
    run_name: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: 'active';
  };
  readonly params: Map<string, string>;
  readonly tags: Map<string, string>;
  readonly metrics: { key: string; value: number; timestamp: number; step: number }[];
  readonly artifacts: Map<string, string>;
}

export interface MlflowServer {
  readonly url: string;
  readonly experiments: Map<string, { experiment_id: string; name: string }>;
  readonly runs: Map<string, StoredRun>;
  readonly calls: string[];
  failNext: number;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUSES = new Set(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

export async function startMlflowServer(): Promise<MlflowServer> {
  const experiments = new Map<string, { experiment_id: string; name: string }>();
  const runs = new Map<string, StoredRun>();
  const calls: string[] = [];
  let nextId = 1;
  const state = { failNext: 0 };

  const run = (id: unknown): StoredRun => {
    const found = runs.get(String(id));
    if (found === undefined)
      throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${String(id)}' not found`);
    return found;
  };
  const asRun = (r: StoredRun) => ({
    info: r.info,
    data: {
      params: [...r.params].map(([key, value]) => ({ key, value })),
      tags: [...r.tags].map(([key, value]) => ({ key, value })),
    },
  });

  const routes: Record<string, (body: Record<string, unknown>, url: URL) => unknown> = {
    'GET /api/2.0/mlflow/experiments/get-by-name': (_b, url) => {
      const name = url.searchParams.get('experiment_name');
      const experiment = [...experiments.values()].find((e) => e.name === name);
      if (experiment === undefined)
        throw new ApiError(
          404,
          'RESOURCE_DOES_NOT_EXIST',
          `Could not find experiment with name '${name}'`,
        );
      return { experiment: { ...experiment, lifecycle_stage: 'active' } };
    },
    'POST /api/2.0/mlflow/experiments/create': (body) => {
      if (typeof body.name !== 'string' || body.name === '')
        throw new ApiError(
          400,
          'INVALID_PARAMETER_VALUE',
          "Missing value for required parameter 'name'",
        );
      if ([...experiments.values()].some((e) => e.name === body.name))
        throw new ApiError(
          400,
          'RESOURCE_ALREADY_EXISTS',
          `Experiment '${body.name}' already exists.`,
        );
      const id = String(nextId++);
      experiments.set(id, { experiment_id: id, name: body.name });
      return { experiment_id: id };
    },
    'POST /api/2.0/mlflow/runs/create': (body) => {
      const experimentId = String(body.experiment_id);
      if (!experiments.has(experimentId))
        throw new ApiError(
          404,
          'RESOURCE_DOES_NOT_EXIST',
          `No Experiment with id=${experimentId} exists`,
        );
      const id = `run${String(nextId++).padStart(6, '0')}`;
      const tags = new Map<string, string>();
      for (const t of (body.tags as { key: string; value: string }[] | undefined) ?? [])
        tags.set(t.key, t.value);
      const stored: StoredRun = {
        info: {
          run_id: id,
          run_uuid: id,
          experiment_id: experimentId,
          run_name: typeof body.run_name === 'string' ? body.run_name : id,
          status: 'RUNNING',
          start_time: Number(body.start_time),
          artifact_uri: `mlflow-artifacts:/${experimentId}/${id}/artifacts`,
          lifecycle_stage: 'active',
        },
        params: new Map(),
        tags,
        metrics: [],
        artifacts: new Map(),
      };
      runs.set(id, stored);
      return { run: asRun(stored) };
    },
    'POST /api/2.0/mlflow/runs/search': (body) => {
      const ids = (body.experiment_ids as string[] | undefined) ?? [];
      const filter = typeof body.filter === 'string' ? body.filter : '';
      const match = /^tags\.`([^`]+)` = '((?:[^'\\]|\\.)*)'$/.exec(filter);
      if (filter !== '' && match === null)
        throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid filter '${filter}'`);
      const found = [...runs.values()].filter(
        (r) =>
          ids.includes(r.info.experiment_id) &&
          (match === null || r.tags.get(match[1] ?? '') === (match[2] ?? '').replace(/\\'/g, "'")),
      );
      return { runs: found.slice(0, Number(body.max_results ?? 1000)).map(asRun) };
    },
    'POST /api/2.0/mlflow/runs/log-batch': (body) => {
      const target = run(body.run_id);
      const metrics = (body.metrics as StoredRun['metrics'] | undefined) ?? [];
      const params = (body.params as { key: string; value: string }[] | undefined) ?? [];
      const tags = (body.tags as { key: string; value: string }[] | undefined) ?? [];
      if (metrics.length > 1000 || params.length > 100 || tags.length > 100)
        throw new ApiError(
          400,
          'INVALID_PARAMETER_VALUE',
          'A batch logging request can contain at most 1000 metrics, 100 params and 100 tags',
        );
      for (const m of metrics) {
        if (
          !/^[\w\-./ ]+$/.test(m.key) ||
          typeof m.value !== 'number' ||
          !Number.isInteger(m.timestamp)
        )
          throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid metric ${JSON.stringify(m)}`);
      }
      for (const p of params) {
        const old = target.params.get(p.key);
        if (old !== undefined && old !== p.value)
          throw new ApiError(
            400,
            'INVALID_PARAMETER_VALUE',
            `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}'`,
          );
      }
      for (const p of params) target.params.set(p.key, p.value);
      for (const t of tags) target.tags.set(t.key, t.value);
      target.metrics.push(...metrics);
      return {};
    },
    'POST /api/2.0/mlflow/runs/update': (body) => {
      const target = run(body.run_id);
      if (!STATUSES.has(String(body.status)))
        throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid status ${String(body.status)}`);
      target.info.status = String(body.status);
      if (body.end_time !== undefined) target.info.end_time = Number(body.end_time);
      return { run_info: target.info };
    },
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const route = `${req.method} ${url.pathname}`;
    calls.push(route);
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (state.failNext > 0) {
      state.failNext--;
      return send(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'Service unavailable' });
    }
    if (route === 'GET /health') return res.writeHead(200).end('OK');
    const artifact =
      /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/([^/]+)\/([^/]+)\/artifacts\/(.+)$/.exec(
        url.pathname,
      );
    if (req.method === 'PUT' && artifact !== null) {
      run(artifact[2]).artifacts.set(artifact[3] ?? '', raw);
      return send(200, {});
    }
    const handler = routes[route];
    if (handler === undefined)
      return send(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint ${route}` });
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(400, { error_code: 'MALFORMED_REQUEST', message: 'Malformed JSON' });
      }
    }
    return send(200, handler(body, url));
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      try {
        handle(req, res, raw);
      } catch (error) {
        const e =
          error instanceof ApiError ? error : new ApiError(500, 'INTERNAL_ERROR', String(error));
        res
          .writeHead(e.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error_code: e.code, message: e.message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    experiments,
    runs,
    calls,
    get failNext() {
      return state.failNext;
    },
    set failNext(n: number) {
      state.failNext = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
