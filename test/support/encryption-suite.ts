/**
 * Encryption at rest, end to end on one database: after a run with METRICS_ENCRYPTION_KEY set,
 * the raw storage (the SQLite files, or every PostgreSQL table) holds none of the planted
 * strings; the API returns them intact; a wrong or missing key stops the start; rotation
 * re-encrypts everything, after which the old key is not needed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { encryptionKeyBytes, encryptionKeyId, EncryptionKeyError } from '../../src/db/index.js';
import { untilFinished } from './run-helpers.js';
import { tempDir } from './temp-dir.js';
import type { TestServer } from './test-server.js';
import { startWireServer, type WireServer } from './wire-server.js';

const KEY_A = randomBytes(32).toString('hex');
const KEY_B = randomBytes(32).toString('hex');
const kid = (key: string) => encryptionKeyId(encryptionKeyBytes(key));

const PLANTED = {
  template: 'PLANTED-TEMPLATE-7f3a',
  input: 'PLANTED-INPUT-91c2',
  expected: 'PLANTED-EXPECTED-4be8',
  output: 'PLANTED-OUTPUT-d05e',
  // An assertion value is often the expected answer itself.
  assertion: 'PLANTED-ASSERTION-3c71',
  title: 'PLAINTEXT-TITLE-55aa',
};

export interface EncryptionTarget {
  /** Skip reason when the database is missing (outside REQUIRE_SYSTEM). */
  readonly skip: () => Promise<string | undefined>;
  /** Starts the service on the same database each time. */
  readonly start: (env: Record<string, string>) => Promise<TestServer>;
  /** Everything the database stores, as text (files or table dumps). */
  readonly raw: () => Promise<string>;
  /** DATABASE_URL for the rotation command. */
  readonly databaseUrl: string;
}

export function defineEncryptionSuite(label: string, target: EncryptionTarget): void {
  describe(`encryption at rest (${label})`, () => {
    let model: WireServer;
    let skipReason: string | undefined;
    const ids = { card: '', testCase: '', run: '' };

    before(async () => {
      skipReason = await target.skip();
      model = await startWireServer('openai');
      model.answer = (prompt) => `${PLANTED.output}: ${prompt}`;
    });
    after(async () => model.close());

    const env = (extra: Record<string, string>) => ({
      OPENAI_BASE_URL: model.url,
      ...extra,
    });

    it('keeps planted prompts, inputs and outputs out of the stored bytes', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const server = await target.start(env({ METRICS_ENCRYPTION_KEY: KEY_A }));
      try {
        const card = await server.request('POST', '/api/prompt-cards', {
          title: PLANTED.title,
          prompt_template: `${PLANTED.template} {{word}}`,
        });
        ids.card = card.body.id as string;
        const testCase = await server.request('POST', `/api/prompt-cards/${ids.card}/test-cases`, {
          name: 'planted',
          input_variables: { word: PLANTED.input },
          expected_output: PLANTED.expected,
          assertions: [{ type: 'contains', value: PLANTED.assertion }],
        });
        ids.testCase = testCase.body.id as string;
        const run = await server.request('POST', `/api/prompt-cards/${ids.card}/runs`, {
          models: ['openai:alpha'],
        });
        assert.equal(run.status, 202, run.text);
        ids.run = run.body.id as string;
        await untilFinished(server, ids.run);
      } finally {
        await server.dispose();
      }
      const raw = await target.raw();
      assert.ok(raw.includes(PLANTED.title), 'titles stay plaintext (and the dump is readable)');
      for (const [what, text] of Object.entries(PLANTED)) {
        if (what !== 'title')
          assert.equal(raw.includes(text), false, `${what} stored in plaintext`);
      }
      assert.ok(raw.includes(`pcs:enc:v1:${kid(KEY_A)}:`));
    });

    it('seals test cases written in bulk (import, sync) as it seals one write', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const server = await target.start(env({ METRICS_ENCRYPTION_KEY: KEY_A }));
      const bulk = { input: 'BULK-INPUT-2c81', expected: 'BULK-EXPECTED-77d0' };
      const synced = { input: 'SYNC-INPUT-e4a9', expected: 'SYNC-EXPECTED-0b3f' };
      try {
        const card = await server.request('POST', '/api/prompt-cards', {
          title: 'Bulk',
          prompt_template: 'Say {{word}}.',
        });
        const path = `/api/prompt-cards/${card.body.id as string}/test-cases/import`;
        const rows = (input: string, expected: string) => [
          { name: 'a', input_variables: { word: input }, expected_output: expected },
          { name: 'b', input_variables: { word: 'plain-b' } },
        ];
        const imported = await server.request('POST', path, rows(bulk.input, bulk.expected));
        assert.equal(imported.status, 201, imported.text);
        const sync = await server.request(
          'POST',
          `${path}?mode=sync`,
          rows(synced.input, synced.expected),
        );
        assert.equal(sync.status, 200, sync.text);
        assert.equal(sync.body.updated, 1, sync.text);
        // Sealing is not deterministic: an unchanged row is compared in clear, not rewritten.
        assert.equal(sync.body.unchanged, 1, sync.text);
        const again = await server.request(
          'POST',
          `${path}?mode=sync`,
          rows(synced.input, synced.expected),
        );
        assert.equal(again.body.unchanged, 2, again.text);
        const listed = await server.request(
          'GET',
          `/api/prompt-cards/${card.body.id as string}/test-cases`,
        );
        const a = (listed.body.items as { name: string; input_variables: unknown }[]).find(
          (row) => row.name === 'a',
        );
        assert.deepEqual(a?.input_variables, { word: synced.input });
      } finally {
        await server.dispose();
      }
      const raw = await target.raw();
      for (const text of [...Object.values(bulk), ...Object.values(synced)])
        assert.equal(raw.includes(text), false, `${text} stored in plaintext`);
    });

    it('returns them intact through the API', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const server = await target.start(env({ METRICS_ENCRYPTION_KEY: KEY_A }));
      try {
        await assertIntact(server);
      } finally {
        await server.dispose();
      }
    });

    it('counts an answer to a test case with no checks as passed (the call succeeded), as promptfoo does', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const server = await target.start(env({ METRICS_ENCRYPTION_KEY: KEY_A }));
      try {
        const card = await server.request('POST', '/api/prompt-cards', {
          title: 'Unjudged',
          prompt_template: 'Say {{word}}.',
        });
        const cardId = card.body.id as string;
        await server.request('POST', `/api/prompt-cards/${cardId}/test-cases`, {
          name: 'nothing to check',
          input_variables: { word: 'hi' },
        });
        const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
          models: ['openai:alpha'],
        });
        await untilFinished(server, run.body.id as string);
        const finished = await server.request('GET', `/api/runs/${run.body.id as string}`);
        assert.equal(finished.body.progress.not_judged, 0);
        assert.equal(finished.body.summary[0].not_judged, 0);
        assert.equal(finished.body.summary[0].pass_rate, 1);
      } finally {
        await server.dispose();
      }
    });

    it('refuses to start with a wrong key, or none, before serving anything', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      await assert.rejects(
        target.start(env({ METRICS_ENCRYPTION_KEY: KEY_B })),
        EncryptionKeyError,
      );
      await assert.rejects(target.start(env({})), EncryptionKeyError);
    });

    it('reads old rows with the previous key, and after rotation needs only the new one', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const during = await target.start(
        env({ METRICS_ENCRYPTION_KEY: KEY_B, METRICS_ENCRYPTION_KEY_PREVIOUS: KEY_A }),
      );
      try {
        await assertIntact(during);
      } finally {
        await during.dispose();
      }
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/cli/encryption-rotate.ts'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: target.databaseUrl,
            METRICS_ENCRYPTION_KEY: KEY_B,
            METRICS_ENCRYPTION_KEY_PREVIOUS: KEY_A,
          },
        },
      );
      assert.match(stdout, /Re-encrypted [1-9]\d* values/);
      const raw = await target.raw();
      assert.equal(raw.includes(`pcs:enc:v1:${kid(KEY_A)}:`), false, 'a value under the old key');
      assert.ok(raw.includes(`pcs:enc:v1:${kid(KEY_B)}:`));
      const after = await target.start(env({ METRICS_ENCRYPTION_KEY: KEY_B }));
      try {
        await assertIntact(after);
      } finally {
        await after.dispose();
      }
      await assert.rejects(
        target.start(env({ METRICS_ENCRYPTION_KEY: KEY_A })),
        EncryptionKeyError,
      );
    });

    async function assertIntact(server: TestServer): Promise<void> {
      const card = await server.request('GET', `/api/prompt-cards/${ids.card}`);
      assert.equal(card.body.prompt_template, `${PLANTED.template} {{word}}`);
      const testCase = await server.request('GET', `/api/test-cases/${ids.testCase}`);
      assert.deepEqual(testCase.body.input_variables, { word: PLANTED.input });
      assert.equal(testCase.body.expected_output, PLANTED.expected);
      const results = await server.request('GET', `/api/runs/${ids.run}/results`);
      const [result] = results.body.items as {
        rendered_prompt: string;
        output: string;
        assertions: { type: string; reason?: string }[];
      }[];
      assert.equal(result?.rendered_prompt, `${PLANTED.template} ${PLANTED.input}`);
      assert.equal(result.output, `${PLANTED.output}: ${PLANTED.template} ${PLANTED.input}`);
      // The assertion and the expected output, each a check.
      assert.deepEqual(
        result.assertions.map((a) => a.type),
        ['expected_output', 'contains'],
      );
      const search = await server.request(
        'GET',
        `/api/prompt-cards?q=${PLANTED.title.toLowerCase()}`,
      );
      assert.equal(search.body.total, 1, 'search over titles works');
      await assertExportsIntact(server);
    }

    /** The exports decrypt as the API does: results.jsonl, results.csv and `prompt-cards export`. */
    async function assertExportsIntact(server: TestServer): Promise<void> {
      const output = `${PLANTED.output}: ${PLANTED.template} ${PLANTED.input}`;
      const jsonl = await server.request('GET', `/api/runs/${ids.run}/results.jsonl`);
      assert.equal(jsonl.status, 200, jsonl.text);
      const rows = jsonl.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { output: string; rendered_prompt: string });
      assert.equal(rows.length, 1, jsonl.text);
      assert.equal(rows[0]?.output, output);
      const csv = await server.request('GET', `/api/runs/${ids.run}/results.csv`);
      assert.equal(csv.status, 200, csv.text);
      const records = parseCsv<Record<string, string>>(csv.text, { columns: true });
      assert.equal(records.length, 1, csv.text);
      assert.equal(records[0]?.output, output);
      assert.ok(!csv.text.includes('pcs:enc:'), 'the CSV export holds sealed text');
      const dir = tempDir();
      try {
        for (const file of ['r.jsonl', 'r.csv']) {
          const { stderr } = await promisify(execFile)(
            process.execPath,
            [
              '--import',
              join(process.cwd(), 'node_modules/tsx/dist/loader.mjs'),
              join(process.cwd(), 'src/cli/main.ts'),
              'export',
              ids.run,
              '--server',
              server.url,
              '-o',
              file,
            ],
            { cwd: dir.path, env: { PATH: process.env.PATH ?? '' } },
          );
          const text = readFileSync(join(dir.path, file), 'utf8');
          assert.ok(text.includes(output), `${file}: ${text} ${stderr}`);
          assert.ok(!text.includes('pcs:enc:'), `${file} holds sealed text`);
        }
      } finally {
        dir.remove();
      }
    }
  });
}
