/**
 * The HTTP settings every provider request shares: one undici dispatcher whose header and body
 * timeouts follow PROVIDER_TIMEOUT_MS (undici's own defaults, 300 s each, would otherwise end
 * any longer call whatever the configuration says), and the largest answer read
 * (PROVIDER_MAX_RESPONSE_BYTES). undici loads and the dispatcher is made on the first request:
 * a process that never calls a model over HTTP (a simulated suite) does not load it (~40 ms of
 * CPU).
 */
import type { Agent, Dispatcher } from 'undici';

export interface ProviderHttp {
  /**
   * The dispatcher of every request (the same one on every call, made on the first); undefined:
   * undici's global one (tests only).
   */
  readonly dispatcher?: () => Promise<Dispatcher>;
  /** Bytes of an answer body (error bodies included) read before the answer is refused. */
  readonly maxResponseBytes: number;
}

/** PROVIDER_MAX_RESPONSE_BYTES's default: 8 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * undici Agent options for one attempt timeout in ms: headers and body may each take the whole
 * attempt. The model client's own timer ends the attempt first or at the same moment; either
 * way the failure is a `timeout`.
 */
export function dispatcherOptions(timeoutMs: number): Agent.Options {
  return { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
}

/** The providers' HTTP settings from the configuration's attempt timeout and answer cap. */
export function providerHttp(settings: {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}): ProviderHttp {
  let agent: Promise<Dispatcher> | undefined;
  return {
    dispatcher: () =>
      (agent ??= import('undici').then(
        ({ Agent: UndiciAgent }) => new UndiciAgent(dispatcherOptions(settings.timeoutMs)),
      )),
    maxResponseBytes: settings.maxResponseBytes,
  };
}
