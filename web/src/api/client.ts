/**
 * The UI's only way to the server: JSON over the public HTTP API. An API key given at sign-in is
 * kept in sessionStorage (this tab only) and sent as `Authorization: Bearer`; a 401 tells the
 * app to show the sign-in.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error answer of the API: `{"error": {"code", "message", "fields"?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Problems keyed by field name without the `body.` / `query.` prefix. */
  fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { field, message } of this.fields) {
      const name = field.replace(/^(body|query|params)\./, '');
      out[name] = out[name] === undefined ? message : `${out[name]}; ${message}`;
    }
    return out;
  }
}

const KEY_STORAGE = 'pcs.apiKey';
const unauthorizedListeners = new Set<() => void>();
const forbiddenListeners = new Set<() => void>();

export function apiKey(): string | null {
  return globalThis.sessionStorage?.getItem(KEY_STORAGE) ?? null;
}

export function setApiKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** Called on every 401; returns the function that stops listening. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Called when a write is refused with 403 (a key that may only read). */
export function onForbiddenWrite(listener: () => void): () => void {
  forbiddenListeners.add(listener);
  return () => forbiddenListeners.delete(listener);
}

type ApiInit = { method?: string; body?: unknown; raw?: { text: string; contentType: string } };

/** GETs in flight by path (and key): a second identical read while the first is on the wire shares it. */
const readsInFlight = new Map<string, Promise<unknown>>();

/**
 * Calls the API; rejects with ApiError on a non-2xx answer. Identical GETs asked while one is in
 * flight share its answer (a view that mounts twice in a row — a URL state update — asks once);
 * nothing is kept once the answer arrived.
 */
export function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  if ((init.method ?? 'GET') !== 'GET') return request<T>(path, init);
  const key = `${apiKey() ?? ''} ${path}`;
  const shared = readsInFlight.get(key);
  if (shared !== undefined) return shared as Promise<T>;
  const read = request<T>(path, init).finally(() => readsInFlight.delete(key));
  readsInFlight.set(key, read);
  return read;
}

async function request<T>(path: string, init: ApiInit): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = apiKey();
  if (key !== null) headers.authorization = `Bearer ${key}`;
  // Every write says it is JSON, body or not: the server refuses state changes sent with any
  // other type (a cross-site form cannot send it), e.g. cancel and resume, which have no body.
  const method = init.method ?? 'GET';
  // `raw` sends a body as it is (a CSV or JSONL file to the bulk import route).
  if (init.raw !== undefined) headers['content-type'] = init.raw.contentType;
  else if (init.body !== undefined || (method !== 'GET' && method !== 'HEAD'))
    headers['content-type'] = 'application/json';
  const payload =
    init.raw !== undefined
      ? init.raw.text
      : init.body === undefined
        ? undefined
        : JSON.stringify(init.body);
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  if (response.status === 401) for (const listener of unauthorizedListeners) listener();
  if (response.status === 403 && (init.method ?? 'GET') !== 'GET')
    for (const listener of forbiddenListeners) listener();
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const body: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; fields?: FieldProblem[] } })
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.fields ?? [],
    );
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text.slice(0, 200) } };
  }
}

/** True for a 404 of a route the server does not have (feature detection), not of a missing id. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /ROUTE/.test(error.code);
}
