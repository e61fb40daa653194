import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startMain } from '../../support/main-process.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../support/otlp-receiver.js';
import { waitFor } from '../../support/run-helpers.js';
import { POSTGRES_URL, requireService } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';

/**
 * The SDK starts before the app's modules load, so the pg instrumentation really patches the
 * driver: a request against the app on PostgreSQL exports PostgreSQL client spans in the
 * request's trace. (No traced request reaches Redis yet: only the untraced health probe does.)
 */
describe('pg instrumentation in the real process', () => {
  let receiver: OtlpReceiver;
  let skip: string | undefined;
  const schema = `pcs_trace_${randomBytes(4).toString('hex')}`;
  before(async () => {
    skip = await requireService('PostgreSQL', async () => {
      const client = new pg.Client({
        connectionString: POSTGRES_URL,
        connectionTimeoutMillis: 3000,
      });
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
    });
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client
      .connect()
      .then(() => client.query(`drop schema if exists ${schema} cascade`))
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  });

  it('exports PostgreSQL client spans inside the request trace', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const dir = tempDir();
    // search_path through the connection string keeps this run's tables in its own schema.
    const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const main = startMain(
      {
        PORT: '0',
        DATABASE_URL: url,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        TRACE_FLUSH_INTERVAL_MS: '100',
        SEED_SAMPLES: 'false',
      },
      dir.path,
    );
    try {
      const base = await main.url();
      const created = await request(base, 'POST', '/api/prompt-cards', {
        title: 'pg',
        prompt_template: 'x',
      });
      assert.equal(created.status, 201, created.text);
      await request(base, 'GET', '/api/prompt-cards');
      const server = await waitFor('the request span', () =>
        receiver.spans.find((s) => s.name === 'POST /api/prompt-cards'),
      );
      const isPg = (s: { attributes: Record<string, unknown> }) =>
        s.attributes['db.system.name'] === 'postgresql' ||
        s.attributes['db.system'] === 'postgresql';
      await waitFor('PostgreSQL spans in the request trace', () =>
        receiver.spans.some((s) => s.traceId === server.traceId && isPg(s)) ? true : undefined,
      );
      const pgSpans = receiver.spans.filter((s) => s.traceId === server.traceId && isPg(s));
      assert.ok(
        pgSpans.some((s) => s.name.startsWith('pg.query:INSERT')),
        pgSpans.map((s) => s.name).join(', '),
      );
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
      dir.remove();
    }
  });
});
