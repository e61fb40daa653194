/**
 * The long-running half of `npm run bench:otlp-ingest`, against the real service process
 * (src/main.ts on a SQLite file, evaluator on, a `contains` rule):
 * - `soak(options)`: exports protobuf batches (4 in flight) for `seconds` at `sampleRate`;
 *   every 5 s after a 10-second warm-up samples the process's resident memory (VmRSS from
 *   /proc) beside its own Prometheus series (`nodejs_heap_size_used_bytes`,
 *   `nodejs_heap_size_total_bytes`, `nodejs_external_memory_bytes`, the evaluation backlog);
 *   then waits for the backlog to drain and reads each evaluation's accept-to-verdict lag
 *   (`evaluated_at - received_at`) from the database.
 * - `service`, `cardWithRule`, `post`, `memorySample`: the pieces, shared with otlp-kill.ts and
 *   otlp-heap-diff.ts.
 * `build(cardId, traceId)` builds one export of `spans` spans sharing the trace id.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectDatabase } from '../src/db/index.js';
import { startMain } from '../test/support/main-process.js';
import { request } from '../test/support/test-server.js';
import { tempDir } from '../test/support/temp-dir.js';
import { lagSummary, type LagSummary } from './otlp-soak-stats.js';

export type BatchBuilder = (cardId: string, traceId: string) => Uint8Array;

/** MiB of the `/proc/<pid>/status` lines VmRSS, RssAnon, RssFile, RssShmem. */
function residentMiB(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (line: string) =>
    Number(new RegExp(`^${line}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
  return { rss: kB('VmRSS'), anon: kB('RssAnon'), file: kB('RssFile'), shmem: kB('RssShmem') };
}

/** `BENCH_SERVICE_ENV=A=1,B=2`: more environment for the service (e.g. SQLITE_CACHE_SIZE_KIB). */
function benchServiceEnv(): Record<string, string> {
  const pairs = (process.env.BENCH_SERVICE_ENV ?? '').split(',').filter((p) => p.includes('='));
  return Object.fromEntries(
    pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
}

export async function service(dir: string, extraEnv: Record<string, string> = {}) {
  const main = startMain(
    {
      ...benchServiceEnv(),
      ...extraEnv,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'info',
      ONLINE_EVAL_MAX_BACKLOG: '100000000',
      OTLP_MAX_BODY_BYTES: '20000000',
      RATE_LIMIT_WRITES: '0',
    },
    dir,
  );
  return { main, url: await main.url(60_000) };
}

export async function cardWithRule(url: string, rate: number): Promise<string> {
  const card = await request(url, 'POST', '/api/prompt-cards', {
    title: 'Soak',
    prompt_template: 'Hi',
  });
  const cardId = card.body.id as string;
  await request(url, 'POST', `/api/prompt-cards/${cardId}/online-rules`, {
    sample_rate: rate,
    assertions: [{ type: 'contains', value: 'Answer' }],
  });
  return cardId;
}

export const traceId = (n: number) => n.toString(16).padStart(32, '0');

export async function post(url: string, body: Uint8Array): Promise<number> {
  const response = await fetch(`${url}/api/v1/traces`, {
    method: 'POST',
    body: Buffer.from(body),
    headers: { 'content-type': 'application/x-protobuf' },
  });
  await response.arrayBuffer();
  return response.status;
}

export interface MemorySample {
  /** VmRSS from /proc, MiB, and its parts: anonymous memory, file mappings, shared memory. */
  readonly rssMiB: number;
  readonly rssAnonMiB: number;
  readonly rssFileMiB: number;
  readonly rssShmemMiB: number;
  /** From the service's /api/metrics: V8 heap used and total, external memory (MiB). */
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  /** Pending online evaluations (prompt_card_online_evaluation_backlog). */
  readonly backlog: number;
}

/** VmRSS beside the process's own Prometheus series, read at one moment. */
export async function memorySample(url: string, pid: number): Promise<MemorySample> {
  const rss = residentMiB(pid);
  const text = await (await fetch(`${url}/api/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  const mib = (name: string) => value(name) / 2 ** 20;
  return {
    rssMiB: rss.rss,
    rssAnonMiB: rss.anon,
    rssFileMiB: rss.file,
    rssShmemMiB: rss.shmem,
    heapUsedMiB: mib('nodejs_heap_size_used_bytes'),
    heapTotalMiB: mib('nodejs_heap_size_total_bytes'),
    externalMiB: mib('nodejs_external_memory_bytes'),
    backlog: value('prompt_card_online_evaluation_backlog'),
  };
}

export interface SoakOptions {
  readonly seconds: number;
  readonly sampleRate: number;
  readonly build: BatchBuilder;
  /** Spans in one export. */
  readonly spans: number;
  /** How long to wait after the ingest for the backlog to drain (s). */
  readonly drainLimitSeconds: number;
}

/** A memory sample during the soak, `atMs` after the ingest started, beside the database's size. */
export interface SoakSample extends MemorySample {
  readonly atMs: number;
  /** The SQLite file and its WAL, MiB. */
  readonly databaseMiB: number;
}

const fileMiB = (dir: string) =>
  ['db.sqlite', 'db.sqlite-wal']
    .map((f) => (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0))
    .reduce((a, b) => a + b, 0) /
  2 ** 20;

export interface SoakResult {
  readonly spans: number;
  readonly ingestSeconds: number;
  /** Every 5 s after a 10-second warm-up, during the ingest (`atMs` from its start). */
  readonly samples: readonly SoakSample[];
  /** Accept (`received_at`) to verdict (`evaluated_at`) of every evaluation, from the database. */
  readonly lag: LagSummary;
  /** Pending evaluations when the ingest ended, and how long they took to drain (undefined: not within the limit). */
  readonly backlogAtEnd: number;
  readonly drainSeconds: number | undefined;
}

/**
 * Exports for `seconds` (4 in flight) to a fresh service process, sampling memory; then waits
 * for the evaluator to judge the backlog and reads each evaluation's lag from the database.
 */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const { seconds, build } = options;
  const dir = tempDir('pcs-otlp-soak-');
  const { main, url } = await service(dir.path);
  const pid = main.child.pid ?? 0;
  try {
    const cardId = await cardWithRule(url, options.sampleRate);
    const samples: SoakSample[] = [];
    const started = Date.now();
    let exports = 0;
    let ingesting = true;
    const sampler = (async () => {
      await new Promise((r) => setTimeout(r, 10_000));
      while (ingesting) {
        const atMs = Date.now() - started;
        samples.push({ ...(await memorySample(url, pid)), atMs, databaseMiB: fileMiB(dir.path) });
        const took = Date.now() - started - atMs;
        await new Promise((r) => setTimeout(r, Math.max(0, 5000 - took)));
      }
    })();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() - started < seconds * 1000) {
          const status = await post(url, build(cardId, traceId(++exports)));
          if (status !== 200) throw new Error(`export answered ${status}`);
        }
      }),
    );
    const ingestSeconds = (Date.now() - started) / 1000;
    ingesting = false;
    await sampler;
    const db = await connectDatabase(`sqlite:${join(dir.path, 'db.sqlite')}`);
    try {
      const pending = async () =>
        Number(
          (
            await db.db
              .selectFrom('online_evaluations')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('status', '=', 'pending')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const backlogAtEnd = await pending();
      const drainStarted = Date.now();
      let drainSeconds: number | undefined;
      while (Date.now() - drainStarted < options.drainLimitSeconds * 1000) {
        if ((await pending()) === 0) {
          drainSeconds = (Date.now() - drainStarted) / 1000;
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      const rows = await db.db
        .selectFrom('online_evaluations')
        .select(['received_at', 'evaluated_at'])
        .where('status', '=', 'done')
        .execute();
      const lags = rows.map(
        (r) => (Date.parse(String(r.evaluated_at)) - Date.parse(String(r.received_at))) / 1000,
      );
      return {
        spans: exports * options.spans,
        ingestSeconds,
        samples,
        lag: lagSummary(lags),
        backlogAtEnd,
        drainSeconds,
      };
    } finally {
      await db.close();
    }
  } finally {
    main.child.kill('SIGTERM');
    await main.exited;
    dir.remove();
  }
}
