/**
 * The topology contract on the CLI's embedded engine (what `prompt-cards eval` runs), on a
 * SQLite file so the test can read its bytes and open a second connection.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openEmbeddedEngine, type EmbeddedEngine } from '../../../src/cli/embedded-engine.js';
import { parseConfig } from '../../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../../src/db/index.js';
import { createProviders } from '../../../src/providers/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { defineTopologyContract } from './contract.js';
import { engineDriver } from './drivers.js';

defineTopologyContract('CLI embedded engine', {
  async start({ env, logger }) {
    const dir = tempDir('pcs-topology-cli-');
    const file = join(dir.path, 'eval.db');
    const config = parseConfig(env);
    const engine: EmbeddedEngine = await openEmbeddedEngine(
      config,
      createProviders(config.providers),
      `sqlite:${file}`,
      { logger },
    );
    const reader: DatabaseHandle = await connectDatabase(`sqlite:${file}`);
    return {
      driver: engineDriver(() => engine),
      execute: () => Promise.resolve(),
      db: () => reader.db,
      raw: () =>
        Promise.resolve(
          [file, `${file}-wal`]
            .filter((f) => existsSync(f))
            .map((f) => readFileSync(f).toString('latin1'))
            .join('\n'),
        ),
      close: async () => {
        await reader.close();
        await engine.close();
        dir.remove();
      },
    };
  },
});
