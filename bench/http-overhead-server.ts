/**
 * One server variant for bench/http-overhead, run in its own process (pinned by the caller):
 * VARIANT=off (ENABLE_MONITORING=false), ours (our metrics middleware), als (ours + every request
 * inside AsyncLocalStorage.run, no OpenTelemetry), prom-bundle
 * (express-prom-bundle instead of ours), trace-0.1 / trace-1.0 (monitoring on, tracing at that
 * sample rate, exporting to OTLP_URL), provider-0 and mw-0 (parts of trace-0, see below). Prints
 * its URL. With CPU_PROFILE=<file>, SIGUSR2 starts
 * V8's CPU profiler and SIGTERM writes the profile there before stopping (bench/tracing-profile:
 * only the measured load is profiled, not start-up and module loading).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { startTracing, tracingOptions } from '../src/telemetry/tracing/index.js';
import { tempDir } from '../test/support/temp-dir.js';

async function main(): Promise<void> {
  const variant = process.env.VARIANT ?? 'ours';
  const tracing = variant.startsWith('trace-')
    ? startTracing(
        tracingOptions(
          {
            OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTLP_URL,
            TRACE_SAMPLE_RATE: variant.slice('trace-'.length),
          },
          'bench',
        ),
        {},
      )
    : undefined;
  // Where tracing's fixed cost comes from: `provider-0` registers the SDK's tracer provider and
  // context manager (ratio 0) with no instrumentation and no exporter; `mw-0` runs the server-span
  // middleware against the API's no-op tracer (no SDK at all).
  if (variant === 'provider-0' || variant === 'mw-0') {
    const { markTracingActive } = await import('../src/telemetry/tracing/server-span.js');
    if (variant === 'provider-0') {
      const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
      const { TraceIdRatioBasedSampler, ParentBasedSampler } =
        await import('@opentelemetry/sdk-trace-base');
      new NodeTracerProvider({
        sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }),
      }).register();
    }
    markTracingActive(true);
  }
  // Loaded after tracing starts, as in main.ts, so instrumentation patches them.
  const { startServer } = await import('../src/server.js');
  const earlyMiddleware: RequestHandler[] = [];
  if (variant === 'als') {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const storage = new AsyncLocalStorage<object>();
    earlyMiddleware.push((_req, _res, next) => storage.run({}, next));
  }
  if (variant === 'prom-bundle') {
    const { default: promBundle } = await import('express-prom-bundle');
    earlyMiddleware.push(
      promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }),
    );
  }
  const dir = tempDir('pcs-bench-');
  const config = parseConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `sqlite:${join(dir.path, 'bench.db')}`,
    ENABLE_MONITORING: variant === 'off' || variant === 'prom-bundle' ? 'false' : 'true',
  });
  const running = await startServer(config, { logger: silentLogger(), earlyMiddleware });
  process.stdout.write(`${running.url}\n`);
  const profile = cpuProfiler(process.env.CPU_PROFILE);
  process.on('SIGTERM', () => {
    void profile()
      .then(() => running.close())
      .then(() => tracing?.shutdown())
      .then(() => {
        dir.remove();
        process.exit(0);
      });
  });
}

/** Starts profiling on SIGUSR2; the returned function stops it and writes the file. */
function cpuProfiler(file: string | undefined): () => Promise<void> {
  if (file === undefined) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  let started: Promise<unknown> | undefined;
  process.on('SIGUSR2', () => {
    started ??= session.post('Profiler.enable').then(() => session.post('Profiler.start'));
  });
  return async () => {
    if (started === undefined) return;
    await started;
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
  };
}

void main();
