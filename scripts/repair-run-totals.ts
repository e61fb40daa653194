/**
 * `npm run runs:repair-totals [-- --all | --run <id> …]`: recomputes runs' kept totals (the
 * per-model counts, sums, latency sketch and errors a status read answers from) from their
 * stored results and writes them back. Without arguments, the runs whose totals are not kept
 * yet (made before they were; each is also repaired on its first read); `--all` every run;
 * `--run <id>` the runs named. Prints one line per run and a count; exits 1 on a missing run.
 */
import { loadConfig } from '../src/config.js';
import { connectDatabase, migrateToLatest } from '../src/db/index.js';
import { RunStore } from '../src/runs/index.js';

function parse(args: readonly string[]): { all: boolean; runs: string[] } {
  const runs: string[] = [];
  let all = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--all') all = true;
    else if (arg === '--run' && args[i + 1] !== undefined) runs.push(args[++i] ?? '');
    else throw new Error(`unknown argument "${arg ?? ''}" (use --all or --run <id>)`);
  }
  return { all, runs };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const config = loadConfig();
  const database = await connectDatabase(config.databaseUrl, {
    timeoutMs: config.databaseTimeoutMs,
  });
  let missing = 0;
  try {
    await migrateToLatest(database.db);
    const store = new RunStore(database.db);
    const ids = options.runs.length > 0 ? options.runs : await store.runIdsForRepair(options.all);
    for (const id of ids) {
      const started = performance.now();
      if (await store.repairTotals(id))
        process.stdout.write(`${id} repaired in ${(performance.now() - started).toFixed(0)} ms\n`);
      else {
        missing++;
        process.stderr.write(`${id}: no such run\n`);
      }
    }
    process.stdout.write(`${ids.length - missing} run(s) repaired\n`);
  } finally {
    await database.close();
  }
  if (missing > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Repair failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
