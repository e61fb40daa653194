/**
 * The part of MLflow's REST API the tracker uses (mlflow.org/docs/latest/rest-api.html):
 * experiments get-by-name / create, runs search / create / log-batch / update, and the
 * artifact proxy's upload (`PUT /api/2.0/mlflow-artifacts/artifacts/<path>`, served by
 * `mlflow server` unless `--no-serve-artifacts`). Errors carry MLflow's `error_code`
 * (`RESOURCE_DOES_NOT_EXIST`, `RESOURCE_ALREADY_EXISTS`, `INVALID_PARAMETER_VALUE`, …).
 */
import { cutText } from '../util/index.js';

export class MlflowError extends Error {
  override readonly name = 'MlflowError';
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** 4xx other than 429: the same request would fail again. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 429;
  }
}

export interface MlflowRunInfo {
  readonly run_id: string;
  readonly status: string;
  /** `mlflow-artifacts:/<experiment>/<run>/artifacts` when the server proxies artifacts. */
  readonly artifact_uri?: string;
}

export interface LogBatch {
  readonly metrics: readonly { key: string; value: number; timestamp: number; step: number }[];
  readonly params: readonly { key: string; value: string }[];
  readonly tags: readonly { key: string; value: string }[];
}

export class MlflowClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(
      path.replace(/^\//, ''),
      this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`,
    );
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = {};
    }
    if (!response.ok) {
      const error = json as { error_code?: string; message?: string };
      throw new MlflowError(
        response.status,
        error.error_code,
        `MLflow ${method} ${url.pathname} answered ${response.status} ${error.error_code ?? ''}: ${error.message ?? cutText(text, 200)}`,
      );
    }
    return json as T;
  }

  /** The id of experiment `name`, created if missing (a concurrent create is tolerated). */
  async experimentId(name: string): Promise<string> {
    const byName = () =>
      this.call<{ experiment: { experiment_id: string } }>(
        'GET',
        `api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      ).then((r) => r.experiment.experiment_id);
    try {
      return await byName();
    } catch (error) {
      if (!(error instanceof MlflowError) || error.errorCode !== 'RESOURCE_DOES_NOT_EXIST')
        throw error;
    }
    try {
      const created = await this.call<{ experiment_id: string }>(
        'POST',
        'api/2.0/mlflow/experiments/create',
        { name },
      );
      return created.experiment_id;
    } catch (error) {
      if (error instanceof MlflowError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')
        return byName();
      throw error;
    }
  }

  /** The run of the experiment tagged `key` = `value`, if any. */
  async findRun(
    experimentId: string,
    key: string,
    value: string,
  ): Promise<MlflowRunInfo | undefined> {
    const found = await this.call<{ runs?: { info: MlflowRunInfo }[] }>(
      'POST',
      'api/2.0/mlflow/runs/search',
      {
        experiment_ids: [experimentId],
        filter: `tags.\`${key}\` = '${value.replace(/'/g, "\\'")}'`,
        max_results: 1,
      },
    );
    return found.runs?.[0]?.info;
  }

  async createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: readonly { key: string; value: string }[],
  ): Promise<MlflowRunInfo> {
    const created = await this.call<{ run: { info: MlflowRunInfo } }>(
      'POST',
      'api/2.0/mlflow/runs/create',
      { experiment_id: experimentId, run_name: runName, start_time: startTime, tags },
    );
    return created.run.info;
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    await this.call('POST', 'api/2.0/mlflow/runs/log-batch', { run_id: runId, ...batch });
  }

  async updateRun(runId: string, status: string, endTime: number): Promise<void> {
    await this.call('POST', 'api/2.0/mlflow/runs/update', {
      run_id: runId,
      status,
      end_time: endTime,
    });
  }

  /** Uploads an artifact through the artifact proxy; false when the server serves none. */
  async uploadArtifact(path: string, content: string, contentType: string): Promise<boolean> {
    const url = new URL(
      `api/2.0/mlflow-artifacts/artifacts/${path}`,
      this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`,
    );
    const headers: Record<string, string> = { 'content-type': contentType };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(url, {
      method: 'PUT',
      headers,
      body: content,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.text();
    if (response.ok) return true;
    if (response.status === 404 || response.status === 501) return false;
    throw new MlflowError(
      response.status,
      undefined,
      `MLflow artifact upload answered ${response.status}`,
    );
  }

  /** Reachability for the health check. */
  async ping(signal: AbortSignal): Promise<number> {
    const response = await fetch(
      new URL('health', this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`),
      {
        signal,
      },
    );
    await response.text();
    return response.status;
  }
}
