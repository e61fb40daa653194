/**
 * OTLP ingest acceptance: spans per second the receiver accepts (decoded, mapped, sampled,
 * stored before the answer) at sample rates 0.01 and 1.0, in one process on SQLite, with the
 * evaluator off so only acceptance is measured. Batches of 512 GenAI spans as protobuf (the
 * SDK's own serializer), 4 exports in flight. Prints a table; the ratio row compares the two
 * rates in the same run. Then, against the real service process (otlp-soak.ts): resident
 * memory over `--seconds` (default 300) of ingest at sample rate 0.01 with the evaluator on
 * (VmRSS beside the V8 heap, and the slope of the second half in MiB per minute), the
 * accept-to-verdict lag and whether the backlog drains, the same over `--full-seconds`
 * (default 30) at sample rate 1.0, and accepted spans lost across a SIGKILL of the ingesting
 * and evaluating process.
 * Usage: npm run bench:otlp-ingest [-- <exports per rate>] [--seconds N] [--full-seconds N]
 */
import { loadavg } from 'node:os';
import { BATCH, batch } from './otlp-batch.js';
import { startTestServer } from '../test/support/test-server.js';
import { killDuringIngest } from './otlp-kill.js';
import { soak, type MemorySample, type SoakResult } from './otlp-soak.js';
import { secondHalf, trend } from './otlp-soak-stats.js';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const fullAt = args.indexOf('--full-seconds');
const SOAK_SECONDS = secondsAt === -1 ? 300 : Number(args[secondsAt + 1]);
const FULL_SECONDS = fullAt === -1 ? 30 : Number(args[fullAt + 1]);
const EXPORTS = Number(
  args.find((a, i) => !a.startsWith('--') && i !== secondsAt + 1 && i !== fullAt + 1) ?? 40,
);
const IN_FLIGHT = 4;

async function measure(rate: number): Promise<{ spansPerSecond: number; p99Ms: number }> {
  const server = await startTestServer({
    ONLINE_EVAL_IN_PROCESS: 'false',
    ONLINE_EVAL_MAX_BACKLOG: '100000000',
    OTLP_MAX_BODY_BYTES: '20000000',
  });
  try {
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Bench',
      prompt_template: 'Hi',
    });
    const cardId = card.body.id as string;
    await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      sample_rate: rate,
      assertions: [{ type: 'contains', value: 'Answer' }],
    });
    // Each export is a fresh batch (new span ids), built before the clock starts.
    const bodies = Array.from({ length: EXPORTS + 4 }, () => batch(cardId));
    const post = async (body: Uint8Array) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/v1/traces`, {
        method: 'POST',
        body: Buffer.from(body),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`export answered ${response.status}`);
      return performance.now() - started;
    };
    for (const body of bodies.slice(EXPORTS)) await post(body); // warm-up
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < EXPORTS) {
          const body = bodies[next++];
          if (body !== undefined) latencies.push(await post(body));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      spansPerSecond: (EXPORTS * BATCH) / seconds,
      p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
    };
  } finally {
    await server.dispose();
  }
}

const mib = (n: number) => n.toFixed(1);

/** Anonymous resident memory that is neither V8 heap nor external: SQLite, malloc, V8's own. */
const otherMiB = (s: MemorySample) => s.rssAnonMiB - s.heapTotalMiB - s.externalMiB;

function printSoak(label: string, result: SoakResult): void {
  const series = (value: (s: MemorySample) => number) =>
    result.samples.map((s) => ({ atMs: s.atMs, mib: value(s) }));
  const half = (value: (s: MemorySample) => number) =>
    trend(secondHalf(series(value), result.ingestSeconds * 1000));
  console.log(
    `${label}: ${result.spans} spans in ${result.ingestSeconds.toFixed(0)} s ` +
      `(${(result.spans / result.ingestSeconds).toFixed(0)} spans/s accepted)`,
  );
  console.log(
    's\tVmRSS\tRssAnon\theapUsed\theapTotal\texternal\tother\tdatabase\tbacklog (MiB, every 5 s)',
  );
  for (const s of result.samples)
    console.log(
      [
        (s.atMs / 1000).toFixed(0),
        mib(s.rssMiB),
        mib(s.rssAnonMiB),
        mib(s.heapUsedMiB),
        mib(s.heapTotalMiB),
        mib(s.externalMiB),
        mib(otherMiB(s)),
        mib(s.databaseMiB),
        s.backlog,
      ].join('\t'),
    );
  const all = trend(series((s) => s.rssMiB));
  console.log(
    `VmRSS first ${mib(all.firstMiB)}, peak ${mib(all.peakMiB)}, last ${mib(all.lastMiB)} MiB; ` +
      `last / first ${(all.lastMiB / all.firstMiB).toFixed(3)}; slope over the whole ingest ` +
      `${all.mibPerMinute.toFixed(2)} MiB/min`,
  );
  const rss = half((s) => s.rssMiB);
  console.log(
    `second half: VmRSS ${mib(rss.firstMiB)} → ${mib(rss.lastMiB)} MiB (peak ${mib(rss.peakMiB)}), ` +
      `${rss.mibPerMinute.toFixed(2)} MiB/min, last / first ${(rss.lastMiB / rss.firstMiB).toFixed(3)}; ` +
      `heapTotal ${half((s) => s.heapTotalMiB).mibPerMinute.toFixed(2)}, heapUsed ` +
      `${half((s) => s.heapUsedMiB).mibPerMinute.toFixed(2)}, external ` +
      `${half((s) => s.externalMiB).mibPerMinute.toFixed(2)}, other ` +
      `${half(otherMiB).mibPerMinute.toFixed(2)} MiB/min`,
  );
  const { lag } = result;
  console.log(
    `accept → verdict over ${lag.count} evaluations: p50 ${lag.p50.toFixed(2)} s, p99 ` +
      `${lag.p99.toFixed(2)} s, max ${lag.max.toFixed(2)} s; backlog at the end of the ingest ` +
      `${result.backlogAtEnd}, ` +
      (result.drainSeconds === undefined
        ? 'not drained within the limit'
        : `drained in ${result.drainSeconds.toFixed(1)} s`),
  );
}

async function main(): Promise<void> {
  const low = await measure(0.01);
  const high = await measure(1);
  console.log(`| sample rate | spans/s accepted | export p99 ms (${BATCH} spans) |`);
  console.log('| ----------- | ---------------- | ---------------------------- |');
  console.log(`| 0.01        | ${low.spansPerSecond.toFixed(0)} | ${low.p99Ms.toFixed(1)} |`);
  console.log(`| 1.0         | ${high.spansPerSecond.toFixed(0)} | ${high.p99Ms.toFixed(1)} |`);
  console.log(`ratio 1.0 / 0.01: ${(high.spansPerSecond / low.spansPerSecond).toFixed(3)}`);
  const soaked = (seconds: number, sampleRate: number) =>
    soak({ seconds, sampleRate, build: batch, spans: BATCH, drainLimitSeconds: 600 });
  printSoak(`sample 0.01, ${SOAK_SECONDS} s`, await soaked(SOAK_SECONDS, 0.01));
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  printSoak(`sample 1.0, ${FULL_SECONDS} s`, await soaked(FULL_SECONDS, 1));
  const kill = await killDuringIngest(batch, BATCH);
  console.log(
    `SIGKILL during ingest (sample 1.0): ${kill.acceptedSpans} spans accepted, ` +
      `${kill.lostSpans} lost, ${kill.unjudgedSpans} not judged after restart`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  if (kill.lostSpans !== 0 || kill.unjudgedSpans !== 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
