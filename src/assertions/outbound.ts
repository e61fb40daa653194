/**
 * Which outside endpoints assertions may call (`webhook`, a `classifier`'s own endpoint), and
 * how long one call may take.
 *
 * On a service such a URL is user input that the service would fetch (server-side request
 * forgery): only origins in ASSERTION_ENDPOINT_ALLOWED_ORIGINS are accepted (none by default),
 * checked when a test case is written (422 naming the field) and again before each call. The
 * eval command runs the user's own suite on the user's machine and allows any URL
 * (`allowAnyAssertionEndpoint`). Nothing here logs or stores a URL's credentials or headers.
 */

export interface EndpointPolicy {
  /** Origins (`scheme://host:port`) a service may call. */
  readonly allowedOrigins: readonly string[];
  /** Timeout of one call, in ms (promptfoo's WEBHOOK_TIMEOUT, default 5000). */
  readonly timeoutMs: number;
  /** The operator's classifier endpoint, used when an assertion names none (always allowed). */
  readonly classifierUrl?: string | undefined;
  /** Its bearer key. */
  readonly classifierApiKey?: string | undefined;
}

/** Where a kind sends the output: the URL and the spec field that gave it (`value`, `config.apiEndpoint`). */
export interface Endpoint {
  readonly url: string;
  readonly field: readonly string[];
}

let policy: EndpointPolicy & { readonly anyOrigin: boolean } = {
  allowedOrigins: [],
  timeoutMs: 5000,
  anyOrigin: false,
};

/**
 * Sets the policy from the configuration (see config/assertions.ts). Where the eval command
 * allowed any endpoint (its embedded engine composes a service too), that stays allowed.
 */
export function configureAssertionEndpoints(options: EndpointPolicy): void {
  policy = { ...options, anyOrigin: policy.anyOrigin };
}

/** For the eval command: the suite is the user's own, any endpoint may be called. */
export function allowAnyAssertionEndpoint(options?: Partial<EndpointPolicy>): void {
  policy = { ...policy, ...options, anyOrigin: true };
}

export function endpointPolicy(): EndpointPolicy {
  return policy;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Why an endpoint is refused here (with the field it came from), or undefined when allowed. */
export function refusedEndpoint(
  endpoint: Endpoint | undefined,
): { path: string[]; message: string } | undefined {
  if (endpoint === undefined) return undefined;
  const origin = originOf(endpoint.url);
  if (origin === undefined) return { path: [...endpoint.field], message: 'must be an http(s) URL' };
  if (policy.anyOrigin || policy.allowedOrigins.includes(origin)) return undefined;
  return {
    path: [...endpoint.field],
    message: `origin ${origin} is not allowed: the service calls only origins listed in ASSERTION_ENDPOINT_ALLOWED_ORIGINS`,
  };
}

/** Throws when the endpoint may not be called here (checked again before every call). */
export function checkEndpoint(endpoint: Endpoint): void {
  const refused = refusedEndpoint(endpoint);
  if (refused !== undefined) throw new Error(`${refused.path.join('.')} ${refused.message}`);
}

/**
 * POSTs JSON to `url` and parses the JSON answer, within the policy's timeout and `signal`.
 * Errors name the status, never the request's headers or the URL's credentials.
 */
export async function postJson(
  url: string,
  body: unknown,
  signal: AbortSignal,
  headers: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.any([signal, AbortSignal.timeout(policy.timeoutMs)]),
    redirect: 'error',
  }).catch((error: unknown) => {
    const name = (error as { name?: string } | null)?.name;
    throw new Error(
      name === 'TimeoutError' ? `no answer within ${policy.timeoutMs} ms` : 'the request failed',
    );
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`the endpoint answered HTTP ${response.status}`);
  }
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new Error('the endpoint answered with no JSON');
  }
}
