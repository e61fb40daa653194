/**
 * Accepted spans across a SIGKILL, against the real service process (src/main.ts on a SQLite
 * file, evaluator on): `killDuringIngest(body, spans)` exports at sample rate 1.0, SIGKILLs the
 * process while exports are in flight, restarts it on the same database and waits for the
 * backlog to drain; every export answered 200 (its trace id) must have all its spans stored
 * and judged. Returns accepted, lost and not-judged span counts.
 */
import { join } from 'node:path';
import { connectDatabase } from '../src/db/index.js';
import { tempDir } from '../test/support/temp-dir.js';
import { cardWithRule, post, service, traceId, type BatchBuilder } from './otlp-soak.js';

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
