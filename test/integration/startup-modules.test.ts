/**
 * A service whose configuration uses no tracing, no event or time-series sink, no Redis and no
 * e-mail does not load their client libraries: each costs resident memory for the process's
 * whole life (bench/README.md, run-memory). The service runs as a real process; a preload
 * records every package the process required, written when it exits.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startMain } from '../support/main-process.js';
import { tempDir } from '../support/temp-dir.js';

/** Packages a default configuration must not load, and what would need them. */
const UNUSED = {
  '@opentelemetry/sdk-trace-node': 'tracing (OTEL_EXPORTER_OTLP_ENDPOINT)',
  '@opentelemetry/exporter-trace-otlp-proto': 'tracing (OTEL_EXPORTER_OTLP_ENDPOINT)',
  '@opentelemetry/sdk-logs': 'log export (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)',
  '@platformatic/kafka': 'the Kafka event sink',
  '@influxdata/influxdb-client': 'the InfluxDB sink',
  ioredis: 'Redis (REDIS_URL)',
  nodemailer: 'e-mail alerts',
  protobufjs: 'OTLP protobuf requests',
  'zod-openapi': 'GET /api/openapi.json',
};

const PRELOAD = `
const Module = require('node:module');
const { writeFileSync } = require('node:fs');
const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    const file = Module._resolveFilename(request, parent, isMain);
    const found = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file);
    if (found) loaded.add(found[1]);
  } catch {}
  return load.apply(this, arguments);
};
process.on('exit', () => writeFileSync(process.env.LOADED_OUT, JSON.stringify([...loaded])));
`;

describe('the service at start-up', () => {
  it('loads no client library its configuration does not use', async () => {
    const dir = tempDir();
    try {
      const preload = join(dir.path, 'loaded-packages.cjs');
      writeFileSync(preload, PRELOAD);
      const out = join(dir.path, 'loaded.json');
      const main = startMain(
        {
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
          SEED_SAMPLES: 'false',
          LOADED_OUT: out,
        },
        dir.path,
        'src/main.ts',
        ['--require', preload],
      );
      const url = await main.url();
      // A request through the API, so the routes' modules have run.
      assert.equal((await fetch(`${url}/api/prompt-cards`)).status, 200);
      main.child.kill('SIGTERM');
      assert.equal(await main.exited, 0);
      const loaded = new Set(JSON.parse(readFileSync(out, 'utf8')) as string[]);
      // The preload saw the packages the service does use.
      assert.ok(loaded.has('better-sqlite3') && loaded.has('express'), [...loaded].join(' '));
      const wrong = Object.entries(UNUSED)
        .filter(([name]) => loaded.has(name))
        .map(([name, use]) => `${name} (for ${use})`);
      assert.deepEqual(wrong, []);
    } finally {
      dir.remove();
    }
  });
});
