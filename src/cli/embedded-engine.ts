/**
 * The run engine inside the command, without the HTTP server: a database (in memory unless
 * `--db` names a SQLite file), the card and run stores, the model client over the suite's
 * providers, and the engine. Modules are imported from their files, not the feature indexes,
 * so start-up loads no HTTP, WebSocket or alerting code.
 */
import { CardStore } from '../cards/card-store.js';
import { CardVersionStore } from '../cards/card-versions.js';
import type { Config } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations.js';
import { ModelClient } from '../providers/model-client.js';
import type { Provider } from '../providers/provider.js';
import { RunEngine } from '../runs/run-engine.js';
import { RunEvents } from '../runs/run-events.js';
import { RunStore } from '../runs/run-store.js';
import { silentLogger } from '../telemetry/logging/logger.js';
import { newLeaseOwner, RunLeases } from '../runs/run-lease.js';

export interface EmbeddedEngine {
  readonly cards: CardStore;
  readonly runs: RunStore;
  readonly engine: RunEngine;
  readonly events: RunEvents;
  close(): Promise<void>;
}

export async function openEmbeddedEngine(
  providers: readonly Provider[],
  config: Config['providers'],
  databaseUrl = 'sqlite::memory:',
): Promise<EmbeddedEngine> {
  const database = await connectDatabase(databaseUrl);
  await migrateToLatest(database.db);
  const cards = new CardStore(database.db);
  const runs = new RunStore(database.db);
  const events = new RunEvents();
  const models = new ModelClient(providers, {
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    prices: config.prices,
    embeddingModel: config.embeddingModel,
    graderModel: config.graderModel,
    retry: { baseDelayMs: config.retryBaseDelayMs },
  });
  const engine = new RunEngine({
    runs,
    cards,
    versions: new CardVersionStore(database.db),
    models,
    events,
    logger: silentLogger(),
    // One process owns this database: its lease is only ever its own.
    leases: new RunLeases(database.db, newLeaseOwner(), 30_000, runs),
  });
  return {
    cards,
    runs,
    engine,
    events,
    close: async () => {
      await engine.shutdown(0);
      await database.close();
    },
  };
}
