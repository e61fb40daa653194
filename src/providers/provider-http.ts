/**
 * The HTTP settings every provider request shares: one undici dispatcher whose header and body
 * timeouts follow PROVIDER_TIMEOUT_MS (undici's own defaults, 300 s each, would otherwise end
 * any longer call whatever the configuration says), and the largest answer read
 * (PROVIDER_MAX_RESPONSE_BYTES).
 */
import { Agent, type Dispatcher } from 'undici';

export interface ProviderHttp {
  /** The dispatcher of every request; undefined: undici's global one (tests only). */
  readonly dispatcher?: Dispatcher;
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
  return {
    dispatcher: new Agent(dispatcherOptions(settings.timeoutMs)),
    maxResponseBytes: settings.maxResponseBytes,
  };
}
