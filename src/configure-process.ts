/**
 * The first step of every process entry (API server, worker): the configuration parsed once and
 * tracing started before any application module loads. Bad configuration ends the process with
 * exit code 2 and one message naming every bad variable.
 */
import { ConfigError, parseConfig, readEnvironment, type Config } from './config.js';
import {
  startTracing,
  tracingOptions,
  TracingOptionsError,
  type TracingHandle,
} from './telemetry/tracing/index.js';
import { VERSION } from './version.js';

export async function configureProcess(): Promise<{
  config: Config;
  tracing: TracingHandle | undefined;
}> {
  try {
    const env = readEnvironment();
    const config = parseConfig(env);
    const tracing = await startTracing(tracingOptions(env, VERSION), env);
    return { config, tracing };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof TracingOptionsError) {
      process.stderr.write(
        `${error instanceof ConfigError ? error.message : `Invalid configuration:\n  ${error.message}`}\n`,
      );
      process.exit(2);
    }
    throw error;
  }
}
