/**
 * The run engine inside the command, without the HTTP server: the `cli` role's modules
 * (compose/registry.ts) over a database in memory unless `--db` names a SQLite file, with the
 * suite's providers. The same stores, cipher, redacting model client, observers, outbox,
 * sinks and alerts as the service; the queue and the execution are this process's own, and
 * it keeps no Prometheus metrics (nothing scrapes a command).
 */
import { compose } from '../compose/index.js';
import type { CardStore } from '../cards/index.js';
import type { Config } from '../config.js';
import type { Provider } from '../providers/index.js';
import type { RunEngine, RunEventBus, RunStore } from '../runs/index.js';
import { silentLogger, type Logger } from '../telemetry/logging/index.js';

export interface EmbeddedEngine {
  readonly cards: CardStore;
  readonly runs: RunStore;
  readonly engine: RunEngine;
  readonly events: RunEventBus;
  /** The names of the modules this process started, in start order. */
  readonly modules: readonly string[];
  close(): Promise<void>;
}

export async function openEmbeddedEngine(
  config: Config,
  providers: readonly Provider[],
  databaseUrl = 'sqlite::memory:',
  options: { readonly logger?: Logger; readonly secrets?: readonly string[] } = {},
): Promise<EmbeddedEngine> {
  const own: Config = {
    ...config,
    databaseUrl,
    seedSamples: false,
    // One process owns this engine: its queue and its executor are in process.
    runs: { ...config.runs, queue: 'memory', execution: 'both' },
    // No Prometheus registry: a command serves no /metrics to scrape, so every series it
    // recorded (a model call's GenAI histograms, ~0.1 ms each) would be dropped at exit. The
    // sinks (InfluxDB, MLflow), alerts and spans are the same as the service's.
    monitoring: { ...config.monitoring, enabled: false },
  };
  const composition = await compose(own, 'cli', {
    logger: options.logger ?? silentLogger(),
    providers,
    secrets: options.secrets ?? [],
  });
  const runtime = composition.services.runtime;
  try {
    if (runtime === undefined) throw new Error('The CLI engine needs the runs module');
    await composition.start();
  } catch (error) {
    await composition.close(0);
    throw error;
  }
  return {
    cards: composition.shared.cards,
    runs: composition.shared.runs,
    engine: runtime.engine,
    events: runtime.events,
    modules: composition.modules.map((m) => m.name),
    close: () => composition.close(0),
  };
}
