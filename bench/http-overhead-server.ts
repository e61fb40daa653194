/**
 * One server variant for bench/http-overhead, run in its own process (pinned by the caller):
 * VARIANT=off (ENABLE_MONITORING=false), ours (our metrics middleware), als (ours + every request
 * inside AsyncLocalStorage.run, no OpenTelemetry), prom-bundle
 * (express-prom-bundle instead of ours), trace-0.1 / trace-1.0 (monitoring on, tracing at that
 * sample rate, exporting to OTLP_URL), provider-0 and mw-0 (parts of trace-0, see below),
 * sdk-<rate> (ours, with OpenTelemetry's standard NodeSDK + HttpInstrumentation at that rate
 * instead of our tracing), bare (an Express app answering the same route with a fixed body, no
 * database, no monitoring) and bare-sdk-<rate> (that app under the standard NodeSDK). The SDK
 * packages come from OTEL_REFERENCE_DIR (bench/otel-reference.ts installs them). Prints
 * its URL. With CPU_PROFILE=<file>, SIGUSR2 starts
 * V8's CPU profiler and SIGTERM writes the profile there before stopping (bench/tracing-profile:
 * only the measured load is profiled, not start-up and module loading).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { startTracing, tracingOptions } from '../src/telemetry/tracing/index.js';
import { tempDir } from '../test/support/temp-dir.js';

/** Starts OpenTelemetry's standard NodeSDK with HttpInstrumentation, sampling at `rate`. */
function startStandardSdk(rate: number): { shutdown: () => Promise<void> } {
  const dir = process.env.OTEL_REFERENCE_DIR;
  if (dir === undefined) throw new Error('OTEL_REFERENCE_DIR is not set');
  const load = createRequire(join(dir, 'package.json'));
  const { NodeSDK } = load('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = load('@opentelemetry/instrumentation-http');
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-proto');
  const { ParentBasedSampler, TraceIdRatioBasedSampler } = load('@opentelemetry/sdk-trace-base');
  const sdk = new NodeSDK({
    traceExporter: new OTLPTraceExporter({ url: process.env.OTLP_URL }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(rate) }),
    instrumentations: [new HttpInstrumentation()],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() as Promise<void> };
}

/** An Express app with GET /api/prompt-cards answering a fixed body of five cards. */
async function startBare(): Promise<{ url: string; close: () => Promise<void> }> {
  const { default: express } = await import('express');
  const cards = Array.from({ length: 5 }, (_, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    title: `Card ${i}`,
    prompt_template: 'Say {{word}}',
    tags: [],
    created_at: new Date(0).toISOString(),
  }));
  const app = express();
  app.get('/api/prompt-cards', (_req, res) => {
    res.json({ items: cards });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const variant = process.env.VARIANT ?? 'ours';
  const sdkRate = /^(?:bare-)?sdk-([\d.]+)$/.exec(variant)?.[1];
  const sdk = sdkRate === undefined ? undefined : startStandardSdk(Number(sdkRate));
  if (variant === 'bare' || variant.startsWith('bare-sdk-')) {
    const bare = await startBare();
    process.stdout.write(`${bare.url}\n`);
    const profile = cpuProfiler(process.env.CPU_PROFILE);
    process.on('SIGTERM', () => {
      void profile()
        .then(() => bare.close())
        .then(() => sdk?.shutdown())
        .then(() => process.exit(0));
    });
    return;
  }
  const tracing = variant.startsWith('trace-')
    ? await startTracing(
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
      .then(() => sdk?.shutdown())
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
