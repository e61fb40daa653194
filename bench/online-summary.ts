/**
 * What the Production view's pass ratio over time costs: the database count per hour
 * (`summariseOnline`, one grouped query) against what a client computing it from the verdict
 * list would do (every keyset page of 100 of the window, decrypted and counted), on SQLite with
 * N evaluations spread over 48 hours, half of them judged passed. Both must give the same
 * counts (the script exits 1 otherwise); the figures are the median of ROUNDS and their ratio.
 *
 *   npx tsx bench/online-summary.ts        (BENCH_EVALUATIONS, default 20000; writes its section of bench/README.md)
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { CardStore } from '../src/cards/index.js';
import { connectDatabase, migrateToLatest, PLAINTEXT } from '../src/db/index.js';
import { OnlineEvalStore, type OnlineEvaluation } from '../src/otlp/online-eval-store.js';
import { summariseOnline } from '../src/otlp/online-summary.js';
import { tempDir } from '../test/support/temp-dir.js';
import { machineLine, writeSection } from './bench-report.js';

const N = Number(process.env.BENCH_EVALUATIONS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HOUR = 3_600_000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  const dir = tempDir('pcs-bench-summary-');
  const database = await connectDatabase(`sqlite:${join(dir.path, 'bench.db')}`);
  await migrateToLatest(database.db, database.schema);
  const card = await new CardStore(database.db).createCard({
    title: 'Bench',
    description: '',
    prompt_template: 'Hi',
    tags: [],
    pass_rate_threshold: null,
  });
  const store = new OnlineEvalStore(database.db, PLAINTEXT);
  const rule = await store.createRule(card.id, {
    service_name: null,
    model: null,
    require_card_attribute: false,
    sample_rate: 1,
    assertions: null,
    variables: {},
  });
  const now = Date.now();
  for (let i = 0; i < N; i += 1000) {
    await store.enqueue(
      Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({
        ruleId: rule.id,
        cardId: card.id,
        traceId: (i + k).toString(16).padStart(32, '0'),
        spanId: (i + k).toString(16).padStart(16, '0'),
        model: 'm',
        inputText: 'Can I return it?',
        outputText: 'A refund is possible within 30 days.',
        variables: {},
        spanEndedAtMs: now - Math.floor(((i + k) / N) * 47 * HOUR),
      })),
    );
  }
  for (;;) {
    const claimed = await store.claim(1000, 60_000);
    if (claimed.length === 0) break;
    for (const [k, e] of claimed.entries())
      await store.complete(e.id, {
        judged: true,
        pass: k % 2 === 0,
        score: k % 2,
        results: [],
        error: null,
      });
  }

  const database_ms: number[] = [];
  const pages_ms: number[] = [];
  let dbPassed = 0;
  let pagePassed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    const summary = await summariseOnline(database.db, card.id, {
      bucket: 'hour',
      buckets: 48,
      nowMs: now,
    });
    database_ms.push(performance.now() - t);
    dbPassed = summary.items.reduce((s, b) => s + b.passed, 0);

    t = performance.now();
    const since = Date.parse(summary.since);
    let after: (string | number)[] | undefined;
    let passed = 0;
    for (;;) {
      const page = await store.list(card.id, { limit: 100, offset: 0, after });
      const items: OnlineEvaluation[] = page.items;
      passed += items.filter((e) => e.pass === true && Date.parse(e.span_ended_at) >= since).length;
      const last = items.at(-1);
      if (items.length < 100 || last === undefined) break;
      after = [Date.parse(last.span_ended_at), last.id];
    }
    pages_ms.push(performance.now() - t);
    pagePassed = passed;
  }
  await database.close();
  dir.remove();
  if (dbPassed !== pagePassed) {
    console.error(`counts differ: database ${dbPassed}, pages ${pagePassed}`);
    process.exit(1);
  }
  const db = median(database_ms);
  const pages = median(pages_ms);
  const body = `## Online verdict summary (\`npx tsx bench/online-summary.ts\`)

${machineLine()}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}; SQLite, ${N.toLocaleString('en')} evaluations over 48 hours, median of ${ROUNDS}.

| Pass ratio per hour, 48 hours           | ms (median)     |
| --------------------------------------- | --------------- |
| \`summariseOnline\` (one grouped query)   | ${db.toFixed(1)} |
| every keyset page of 100, counted       | ${pages.toFixed(1)} |
| ratio pages ÷ query                     | ${(pages / db).toFixed(1)} × |

Both counted ${dbPassed.toLocaleString('en')} passed verdicts.`;
  writeSection('online-summary', body);
  console.log(body);
}

void main();
