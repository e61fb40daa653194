/**
 * The long-running half of `npm run bench:otlp-ingest`, against the real service process
 * (src/main.ts on a SQLite file, evaluator on):
 * - `soak(seconds, body)`: exports protobuf batches (4 in flight) for `seconds` at sample rate
 *   0.01 and samples the process's resident memory (VmRSS) every 5 s; reports the first
 *   sample after a 10-second warm-up, the peak, the last, and last ÷ first.
 * - `killDuringIngest(body)`: exports at sample rate 1.0, SIGKILLs the process while exports are
 *   in flight, restarts it on the same database and waits for the backlog to drain; every
 *   export answered 200 (its trace id) must have all its spans stored and judged.
 * `body(cardId, traceId)` builds one export of `spans` spans sharing the trace id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectDatabase } from '../src/db/index.js';
import { startMain } from '../test/support/main-process.js';
import { request } from '../test/support/test-server.js';
import { tempDir } from '../test/support/temp-dir.js';

export type BatchBuilder = (cardId: string, traceId: string) => Uint8Array;

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function service(dir: string) {
  const main = startMain(
    {
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

async function cardWithRule(url: string, rate: number): Promise<string> {
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

const traceId = (n: number) => n.toString(16).padStart(32, '0');

async function post(url: string, body: Uint8Array): Promise<number> {
  const response = await fetch(`${url}/api/v1/traces`, {
    method: 'POST',
    body: Buffer.from(body),
    headers: { 'content-type': 'application/x-protobuf' },
  });
  await response.arrayBuffer();
  return response.status;
}

export interface SoakResult {
  readonly spans: number;
  readonly firstMiB: number;
  readonly peakMiB: number;
  readonly lastMiB: number;
}

export async function soak(
  seconds: number,
  build: BatchBuilder,
  spans: number,
): Promise<SoakResult> {
  const dir = tempDir('pcs-otlp-soak-');
  const { main, url } = await service(dir.path);
  const pid = main.child.pid ?? 0;
  try {
    const cardId = await cardWithRule(url, 0.01);
    const samples: number[] = [];
    const started = Date.now();
    let exports = 0;
    let sampling: NodeJS.Timeout | undefined;
    const warm = setTimeout(() => {
      samples.push(rssMiB(pid));
      sampling = setInterval(() => samples.push(rssMiB(pid)), 5000);
    }, 10_000);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() - started < seconds * 1000) {
          const status = await post(url, build(cardId, traceId(++exports)));
          if (status !== 200) throw new Error(`export answered ${status}`);
        }
      }),
    );
    clearTimeout(warm);
    clearInterval(sampling);
    samples.push(rssMiB(pid));
    return {
      spans: exports * spans,
      firstMiB: samples[0] ?? 0,
      peakMiB: Math.max(...samples),
      lastMiB: samples.at(-1) ?? 0,
    };
  } finally {
    main.child.kill('SIGTERM');
    await main.exited;
    dir.remove();
  }
}

export interface KillResult {
  readonly acceptedSpans: number;
  readonly lostSpans: number;
  readonly unjudgedSpans: number;
}

export async function killDuringIngest(build: BatchBuilder, spans: number): Promise<KillResult> {
  const dir = tempDir('pcs-otlp-kill-');
  try {
    const first = await service(dir.path);
    const cardId = await cardWithRule(first.url, 1);
    const accepted: string[] = [];
    let next = 0;
    let killed = false;
    const lanes = Array.from({ length: 4 }, async () => {
      while (!killed) {
        const id = traceId(++next);
        const status = await post(first.url, build(cardId, id)).catch(() => 0);
        if (status === 200) accepted.push(id);
      }
    });
    while (accepted.length < 20) await new Promise((r) => setTimeout(r, 20));
    first.main.child.kill('SIGKILL'); // exports in flight: answered or not, never half-stored
    killed = true;
    await first.main.exited;
    await Promise.all(lanes);
    const second = await service(dir.path);
    try {
      const db = await connectDatabase(`sqlite:${join(dir.path, 'db.sqlite')}`);
      try {
        const counts = async () =>
          db.db
            .selectFrom('online_evaluations')
            .select(['trace_id', 'status'])
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .groupBy(['trace_id', 'status'])
            .execute();
        // The restarted process judges what the killed one left pending.
        for (let i = 0; i < 600; i++) {
          if ((await counts()).every((row) => row.status === 'done')) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        const rows = await counts();
        const stored = (id: string, status?: string) =>
          rows
            .filter((r) => r.trace_id === id && (status === undefined || r.status === status))
            .reduce((sum, r) => sum + Number(r.n), 0);
        return {
          acceptedSpans: accepted.length * spans,
          lostSpans: accepted.reduce((sum, id) => sum + (spans - stored(id)), 0),
          unjudgedSpans: accepted.reduce((sum, id) => sum + (stored(id) - stored(id, 'done')), 0),
        };
      } finally {
        await db.close();
      }
    } finally {
      second.main.child.kill('SIGTERM');
      await second.main.exited;
    }
  } finally {
    dir.remove();
  }
}
