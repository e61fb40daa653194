/**
 * Where the service's memory goes during an OTLP ingest: starts the real service process
 * (src/main.ts, SQLite file, evaluator on, a `contains` rule at sample rate 0.01), exports
 * 512-span batches (4 in flight) for `--seconds` (default 120), and every 5 s prints VmRSS beside
 * the process's own Prometheus series (V8 heap used and total, external memory). Takes a V8 heap
 * snapshot (SIGUSR2, `--heapsnapshot-signal`) at 25 % and at 90 % of the ingest and prints the
 * constructors whose retained count or self size grew most between the two.
 * Each sample also splits VmRSS (anonymous, file-backed, shared) and prints "other": anonymous
 * memory that is neither V8 heap nor external (SQLite, malloc arenas, V8's own). `--no-snapshots`
 * only samples; `--env K=V` adds to the service's environment.
 * Usage: npx tsx bench/otlp-heap-diff.ts [--seconds N] [--no-snapshots] [--env K=V]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH, batch } from './otlp-batch.js';
import { cardWithRule, memorySample, post, service, traceId } from './otlp-soak.js';
import { tempDir } from '../test/support/temp-dir.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const SECONDS = at === -1 ? 120 : Number(args[at + 1]);
const SNAPSHOTS = !args.includes('--no-snapshots');
/** `--env K=V` (repeatable): extra environment of the service process, e.g. MALLOC_ARENA_MAX=2. */
const EXTRA_ENV = Object.fromEntries(
  args.flatMap((a, i) => {
    const pair = a === '--env' ? (args[i + 1] ?? '') : '';
    const eq = pair.indexOf('=');
    return eq > 0 ? [[pair.slice(0, eq), pair.slice(eq + 1)]] : [];
  }),
) as Record<string, string>;

interface Row {
  count: number;
  size: number;
}

/** Counts and self sizes by `type:name` (objects by constructor, strings as one row). */
function summarise(path: string): Map<string, Row> {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const rows = new Map<string, Row>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? '?';
    const name =
      type === 'object' || type === 'native' || type === 'closure' || type === 'hidden'
        ? (snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?').slice(0, 60)
        : '';
    const key = `${type}:${name}`;
    const row = rows.get(key) ?? { count: 0, size: 0 };
    row.count++;
    row.size += snapshot.nodes[i + sizeAt] ?? 0;
    rows.set(key, row);
  }
  return rows;
}

async function snapshotOf(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (file === undefined) continue;
    const size = statSync(join(dir, file)).size;
    await new Promise((r) => setTimeout(r, 2000));
    if (statSync(join(dir, file)).size === size && size > 0) return join(dir, file);
  }
}

async function main(): Promise<void> {
  const dir = tempDir('pcs-otlp-heap-');
  const { main: proc, url } = await service(dir.path, {
    NODE_OPTIONS: '--heapsnapshot-signal=SIGUSR2',
    ...EXTRA_ENV,
  });
  const pid = proc.child.pid ?? 0;
  try {
    const cardId = await cardWithRule(url, 0.01);
    const started = Date.now();
    let exports = 0;
    let stop = false;
    const lanes = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop) {
          const status = await post(url, batch(cardId, traceId(++exports)));
          if (status !== 200) throw new Error(`export answered ${status}`);
        }
      }),
    );
    const snapshots: string[] = [];
    const marks = (SNAPSHOTS ? [0.25, 0.9] : []).map((f) => f * SECONDS * 1000);
    console.log(
      's\tspans\tVmRSS\tRssAnon\tRssFile\tRssShmem\theapUsed\theapTotal\texternal\tother\tbacklog (MiB)',
    );
    while (Date.now() - started < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, 5000));
      const m = await memorySample(url, pid);
      console.log(
        [
          ((Date.now() - started) / 1000).toFixed(0),
          exports * BATCH,
          m.rssMiB.toFixed(1),
          m.rssAnonMiB.toFixed(1),
          m.rssFileMiB.toFixed(1),
          m.rssShmemMiB.toFixed(1),
          m.heapUsedMiB.toFixed(1),
          m.heapTotalMiB.toFixed(1),
          m.externalMiB.toFixed(1),
          (m.rssAnonMiB - m.heapTotalMiB - m.externalMiB).toFixed(1),
          m.backlog,
        ].join('\t'),
      );
      if (marks.length > 0 && Date.now() - started >= (marks[0] ?? 0)) {
        marks.shift();
        snapshots.push(await snapshotOf(pid, dir.path));
        console.log(`heap snapshot ${snapshots.length}`);
      }
    }
    stop = true;
    await lanes;
    const [a, b] = snapshots.map(summarise);
    if (a === undefined || b === undefined) return;
    const diff = [...b].map(([key, row]) => {
      const old = a.get(key) ?? { count: 0, size: 0 };
      return { key, count: row.count - old.count, size: row.size - old.size, now: row.size };
    });
    const total = (m: Map<string, Row>) => [...m.values()].reduce((s, r) => s + r.size, 0);
    console.log(
      `snapshot totals: ${(total(a) / 2 ** 20).toFixed(1)} → ${(total(b) / 2 ** 20).toFixed(1)} MiB`,
    );
    console.log('grew most by self size (bytes Δ, count Δ, bytes now):');
    for (const d of diff.sort((x, y) => y.size - x.size).slice(0, 25))
      console.log(`${d.size}\t${d.count}\t${d.now}\t${d.key}`);
    console.log('grew most by count:');
    for (const d of diff.sort((x, y) => y.count - x.count).slice(0, 15))
      console.log(`${d.count}\t${d.size}\t${d.key}`);
  } finally {
    proc.child.kill('SIGTERM');
    await proc.exited;
    dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
