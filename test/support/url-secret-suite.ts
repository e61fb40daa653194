/**
 * Credential-bearing URL parts as secrets, end to end on one database: a provider error that
 * echoes the path of the configured Slack webhook (`/services/T…/B…/<secret>`, the URL being
 * the credential) must reach neither the results API, the WebSocket events, the exports
 * (`results.jsonl`, `results.csv`), the log lines, nor the bytes the database stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/telemetry/logging/index.js';
import { createCardWithCases, watchRun } from './run-helpers.js';
import type { TestServer } from './test-server.js';
import { startWireServer, type WireServer } from './wire-server.js';

const HOOK_SECRET = 'pLaNtEdHoOkSeCrEt0a1b2c3d4';
const HOOK_PATH = `/services/T0PLANT01/B0PLANT02/${HOOK_SECRET}`;
/** Every part that must not show anywhere. */
const PARTS = [HOOK_SECRET, 'T0PLANT01', 'B0PLANT02'];

export interface UrlSecretTarget {
  /** Skip reason when the database is missing (outside REQUIRE_SYSTEM). */
  readonly skip: () => Promise<string | undefined>;
  /** Starts the service on the target database with a logger that keeps its lines. */
  readonly start: (
    env: Record<string, string>,
    logger: ReturnType<typeof createLogger>,
  ) => Promise<TestServer>;
  /** Everything the database stores, as text (files or table dumps). */
  readonly raw: () => Promise<string>;
}

export function defineUrlSecretSuite(label: string, target: UrlSecretTarget): void {
  describe(`a provider echoing the Slack webhook path (${label})`, () => {
    let model: WireServer;
    let server: TestServer | undefined;
    let skipReason: string | undefined;
    const lines: string[] = [];
    const seen: string[] = [];

    before(async () => {
      skipReason = await target.skip();
      model = await startWireServer('openai');
      if (skipReason !== undefined) return;
      const logger = createLogger({
        level: 'debug',
        destination: { write: (line: string) => void lines.push(line) },
      });
      server = await target.start(
        {
          OPENAI_BASE_URL: model.url,
          PROVIDER_MAX_RETRIES: '1',
          PROVIDER_RETRY_BASE_DELAY_MS: '1',
          SLACK_WEBHOOK_URL: `https://hooks.slack.test${HOOK_PATH}`,
        },
        logger,
      );
      const echo = JSON.stringify({
        error: { message: `upstream hook ${HOOK_PATH} refused (token ${HOOK_SECRET})` },
      });
      for (const status of [503, 400]) model.faults.push({ kind: 'status', status, body: echo });
      const cardId = await createCardWithCases(server, 1);
      const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
      });
      assert.equal(run.status, 202, run.text);
      const id = run.body.id as string;
      const watcher = await watchRun(server, id);
      seen.push(JSON.stringify(await watcher.finished));
      watcher.close();
      const results = await server.request('GET', `/api/runs/${id}/results`);
      assert.match(String(results.body.items[0].error.message), /\[redacted\]/, results.text);
      seen.push(results.text);
      for (const format of ['jsonl', 'csv']) {
        const exported = await server.request('GET', `/api/runs/${id}/results.${format}`);
        assert.equal(exported.status, 200, exported.text);
        assert.match(exported.text, /redacted/, `${format} export has the error`);
        seen.push(exported.text);
      }
    });
    after(async () => {
      await server?.dispose();
      await model.close();
    });

    it('serves no part of it: results API, WebSocket events, results.jsonl, results.csv', (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      for (const text of seen)
        for (const part of PARTS) assert.ok(!text.includes(part), `${part} served: ${text}`);
    });

    it('logs no part of it, at debug level', (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      assert.ok(lines.some((line) => line.includes('retrying model call')));
      for (const line of lines)
        for (const part of PARTS) assert.ok(!line.includes(part), `${part} logged: ${line}`);
    });

    it('stores no part of it', async (t) => {
      if (skipReason !== undefined) return t.skip(skipReason);
      const raw = await target.raw();
      assert.ok(raw.includes('[redacted]'), 'the redacted error is stored (and the dump readable)');
      for (const part of PARTS) assert.equal(raw.includes(part), false, `${part} stored`);
    });
  });
}
