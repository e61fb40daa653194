/**
 * Every environment variable the service reads, parsed once with zod into a typed `Config`.
 * Nothing else in the code base reads `process.env`: pass `Config` (or a part of it) instead.
 *
 * Each feature states its variables once, in its slice under `src/config/` (zod type, default,
 * description, secret mark); this file merges the slices and adds the checks that span several.
 * `docs/configuration.md` and `.env.example` are generated from the slices
 * (`npm run generate:config`), and secret redaction derives from their marks
 * (`src/config/redaction.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { z } from 'zod';
import { alerting } from './config/alerting.js';
import { analytics } from './config/analytics.js';
import { assertions } from './config/assertions.js';
import { auth, isLoopbackHost } from './config/auth.js';
import { database } from './config/database.js';
import { otlp } from './config/otlp.js';
import { providers } from './config/providers.js';
import { runs } from './config/runs.js';
import { productionProblems, secrets } from './config/secrets.js';
import { service } from './config/service.js';
import { sinks } from './config/sinks.js';
import { stack } from './config/stack.js';
import { telemetry } from './config/telemetry.js';
import { tracing } from './config/tracing.js';
import type { ConfigProblem } from './config/variable.js';

export { isLoopbackHost } from './config/auth.js';
export { PLACEHOLDER_SECRETS, isValidEncryptionKey } from './config/secrets.js';
export type { ConfigProblem } from './config/variable.js';

/** Every slice, in the order of the reference page. */
export const CONFIG_SLICES = [
  service,
  database,
  auth,
  telemetry,
  tracing,
  alerting,
  secrets,
  providers,
  runs,
  assertions,
  sinks,
  analytics,
  otlp,
  stack,
] as const;

const envSchema = z.object({
  ...service.env,
  ...database.env,
  ...auth.env,
  ...telemetry.env,
  ...tracing.env,
  ...alerting.env,
  ...secrets.env,
  ...providers.env,
  ...runs.env,
  ...assertions.env,
  ...sinks.env,
  ...analytics.env,
  ...otlp.env,
  ...stack.env,
});

export type Env = z.infer<typeof envSchema>;

/** The parsed environment as the code base sees it: each slice's part, merged. */
export function toConfig(e: Env) {
  const fromTelemetry = telemetry.config(e);
  return {
    ...service.config(e),
    ...database.config(e),
    ...auth.config(e),
    ...fromTelemetry,
    // Tracing adds nothing: it is read before the application loads (`tracingOptions`); nor
    // does the monitoring stack's slice (docker compose reads it).
    // The monitoring section repeats the analytics switch (it decides the sampler's metrics).
    monitoring: { ...fromTelemetry.monitoring, advancedAnalytics: e.ENABLE_ADVANCED_ANALYTICS },
    ...alerting.config(e),
    ...secrets.config(e),
    ...providers.config(e),
    ...runs.config(e),
    ...assertions.config(e),
    ...sinks.config(e),
    ...analytics.config(e),
    ...otlp.config(e),
  };
}

/** The environment schema with its mapping onto `Config`. */
export const configSchema = envSchema.transform(toConfig);

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The typed configuration: inferred from the schema, read-only throughout. */
export type Config = DeepReadonly<z.infer<typeof configSchema>>;

/** Raised with every bad variable at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Start-up refusals that involve the variables of several slices. */
function crossProblems(e: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (e.AUTH_MODE === 'none' && !isLoopbackHost(e.HOST) && !e.ALLOW_UNAUTHENTICATED) {
    problems.push({
      variable: 'AUTH_MODE',
      message: `is none while HOST=${e.HOST} is not a loopback address: set AUTH_MODE=api-key or proxy, or ALLOW_UNAUTHENTICATED=true on purpose`,
    });
  }
  if (e.EVENT_SINK === 'redis-stream' && e.REDIS_URL === undefined)
    problems.push({ variable: 'REDIS_URL', message: 'is required when EVENT_SINK=redis-stream' });
  return problems;
}

/**
 * Variables that only work together, checked on the raw strings so they are reported with any
 * other bad variable. A signed webhook without its secret would otherwise be silently off (or,
 * worse, sent unsigned): start-up fails naming the missing variable instead.
 */
function rawProblems(env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const problems = productionProblems(env);
  if (env.RUN_QUEUE === 'redis' && env.REDIS_URL === undefined)
    problems.push({ variable: 'RUN_QUEUE', message: 'redis needs REDIS_URL' });
  if (env.RUN_QUEUE !== 'redis' && env.RUN_EXECUTION === 'api')
    problems.push({
      variable: 'RUN_EXECUTION',
      message: 'api needs RUN_QUEUE=redis (workers execute the runs)',
    });
  if (env.ALERT_WEBHOOK_URL !== undefined && env.ALERT_WEBHOOK_SECRET === undefined)
    problems.push({
      variable: 'ALERT_WEBHOOK_SECRET',
      message: 'is required when ALERT_WEBHOOK_URL is set (deliveries are signed with it)',
    });
  return problems;
}

/** The environment without its empty strings: empty means "unset", as in most `.env` files. */
export function withoutEmpty(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

/** Parses an environment (pure: no file or process access) into a `Config`, or throws `ConfigError`. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const cleaned = withoutEmpty(env);
  const result = envSchema.safeParse(cleaned);
  const problems: ConfigProblem[] = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => ({
          variable: issue.path.join('.') || '(environment)',
          message: issue.message,
        }))),
    ...rawProblems(cleaned),
  ];
  if (result.success) {
    for (const slice of CONFIG_SLICES)
      if ('problems' in slice && slice.problems !== undefined)
        problems.push(...slice.problems(result.data));
    problems.push(...crossProblems(result.data));
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(result.data);
}

/** The variable names the schema knows. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Reads `.env` (if present; real environment variables win over it) and parses the result.
 * The process environment is not modified.
 */
export function loadConfig(
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
  envFile = '.env',
): Config {
  return parseConfig(readEnvironment(processEnv, envFile));
}

/** The process environment over the optional `.env` file (the environment wins). */
export function readEnvironment(
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
  envFile = '.env',
): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? dotenv.parse(readFileSync(envFile)) : {};
  return { ...fromFile, ...processEnv };
}
