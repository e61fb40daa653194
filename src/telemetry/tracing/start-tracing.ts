/**
 * Starts tracing when it is on (tracing-sdk.ts, loaded only then, holds the OpenTelemetry SDK,
 * its exporters and instrumentations: about 20 MB of a process's memory that a process without
 * tracing does not spend). Must complete before the application's modules are loaded (main.ts
 * and worker.ts load them afterwards), because instrumentation patches modules as they are
 * required.
 */
import type { TracingOptions } from './tracing-options.js';

export interface TracingHandle {
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

/** The running SDK's handle, or undefined when tracing is off (or has no endpoint). */
export async function startTracing(
  options: TracingOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<TracingHandle | undefined> {
  const { endpoint } = options;
  if (!options.enabled || endpoint === undefined) return undefined;
  const { startSdk } = await import('./tracing-sdk.js');
  return startSdk({ ...options, endpoint }, env);
}
