/**
 * Malformed input at the HTTP edge (bad percent-encoding, bad Content-Encoding, U+0000 and
 * unpaired surrogates, control characters, prototype keys, out-of-range durations, bad alert
 * times, Node's own parser errors): every case is a 4xx with the catalog body naming the field,
 * and the database is unchanged. Run on SQLite (integration) and PostgreSQL (system).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { snapshot } from './db-snapshot.js';
import type { JsonResponse, TestServer } from './test-server.js';

export type StartServer = () => Promise<TestServer | string>;

const card = { title: 'Edge', prompt_template: 'Hi {{name}}', tags: ['edge'] };

function assertRejected(
  response: JsonResponse,
  status: number,
  code: string,
  field: string | undefined,
): void {
  assert.equal(response.status, status, response.text);
  assert.equal(response.body?.error?.code, code, response.text);
  if (field !== undefined) {
    const fields = (response.body.error.fields ?? []) as { field: string }[];
    assert.ok(
      fields.some((f) => f.field === field),
      `expected field ${field} in ${response.text}`,
    );
  }
}

/** Sends raw bytes and returns the whole answer (the server closes after an error answer). */
export async function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.setTimeout(5000, () => socket.destroy());
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return answer;
}

function parseRaw(answer: string): { status: number; body: unknown; headers: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, body: JSON.parse(body), headers: head.toLowerCase() };
}

export function edgeInputSuite(name: string, start: StartServer): void {
  describe(`malformed input at the HTTP edge (${name})`, () => {
    let server: TestServer | undefined;
    let skip: string | undefined;
    let cardId = '';
    let testCaseId = '';
    let before_ = '';
    before(async () => {
      const started = await start();
      if (typeof started === 'string') {
        skip = started;
        return;
      }
      server = started;
      const created = await server.request('POST', '/api/prompt-cards', card);
      assert.equal(created.status, 201, created.text);
      cardId = created.body.id as string;
      const tc = await server.request('POST', `/api/prompt-cards/${cardId}/test-cases`, {
        name: 'tc',
        input_variables: { name: 'Ada' },
      });
      assert.equal(tc.status, 201, tc.text);
      testCaseId = tc.body.id as string;
      before_ = await snapshot(server.running.database.db);
    });
    after(async () => {
      if (server !== undefined) {
        assert.equal(await snapshot(server.running.database.db), before_, 'database changed');
        await server.dispose();
      }
    });
    const live = (t: { skip: (reason: string) => void }): TestServer | undefined => {
      if (skip !== undefined) t.skip(skip);
      return server;
    };

    it('answers 400 naming the path for malformed percent-encoding on every :id route', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      const routes: [string, string][] = [
        ['GET', '/api/prompt-cards/%ZZ'],
        ['PUT', '/api/prompt-cards/%ZZ'],
        ['DELETE', '/api/prompt-cards/%ZZ'],
        ['POST', '/api/prompt-cards/%ZZ/test-cases'],
        ['GET', '/api/prompt-cards/%ZZ/test-cases'],
        ['POST', '/api/prompt-cards/%E0%A4/runs'],
        ['GET', '/api/prompt-cards/%/runs'],
        ['GET', '/api/test-cases/%ZZ'],
        ['PUT', '/api/test-cases/%ZZ'],
        ['DELETE', '/api/test-cases/%ZZ'],
        ['GET', '/api/runs/%ZZ'],
        ['GET', '/api/runs/%ZZ/results'],
        ['POST', '/api/runs/%ZZ/cancel'],
        ['POST', '/api/runs/%ZZ/resume'],
        ['GET', '/health/%ZZ'],
        ['GET', '/api/prompt-cards/%00'],
        ['GET', '/api/runs/%ED%A0%80'],
      ];
      for (const [method, path] of routes) {
        const body = method === 'POST' || method === 'PUT' ? card : undefined;
        assertRejected(
          await s.request(method, path, body),
          400,
          'PCS_ERR_HTTP_MALFORMED_URL',
          'path',
        );
      }
    });

    it('answers 400 when the body does not decode as its Content-Encoding says', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const response = await s.request('POST', '/api/prompt-cards', JSON.stringify(card), {
          'content-type': 'application/json',
          'content-encoding': encoding,
        });
        assertRejected(
          response,
          400,
          'PCS_ERR_HTTP_BAD_CONTENT_ENCODING',
          'headers.content-encoding',
        );
      }
      // A body that really is gzip is still accepted (then rejected here for its title only).
      const gzipped = await fetch(`${s.url}/api/prompt-cards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ ...card, title: '' })),
      });
      assert.equal(gzipped.status, 422);
    });

    it('rejects U+0000 and unpaired surrogates in every text with 422 naming the field', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      const cases: [string, string, unknown, string][] = [
        ['POST', '/api/prompt-cards', { ...card, title: 'a\u0000b' }, 'title'],
        ['POST', '/api/prompt-cards', { ...card, description: '\u0000' }, 'description'],
        [
          'POST',
          '/api/prompt-cards',
          { ...card, prompt_template: 'Hi\u0000{{name}}' },
          'prompt_template',
        ],
        ['POST', '/api/prompt-cards', { ...card, tags: ['ok', 'x\u0000'] }, 'tags.1'],
        ['POST', '/api/prompt-cards', { ...card, title: 'a\ud800b' }, 'title'],
        ['PUT', `/api/prompt-cards/${cardId}`, { ...card, title: '\udc00' }, 'title'],
        [
          'POST',
          `/api/prompt-cards/${cardId}/test-cases`,
          { name: 'n', input_variables: { name: 'A\u0000da' } },
          'input_variables.name',
        ],
        [
          'POST',
          `/api/prompt-cards/${cardId}/test-cases`,
          { name: 'n\u0000', input_variables: { name: 'Ada' } },
          'name',
        ],
        [
          'PUT',
          `/api/test-cases/${testCaseId}`,
          { name: 'n', input_variables: { name: 'Ada' }, expected_output: '\u0000' },
          'expected_output',
        ],
        [
          'PUT',
          `/api/test-cases/${testCaseId}`,
          {
            name: 'n',
            input_variables: { name: 'Ada' },
            assertions: [{ type: 'contains', value: 'x\u0000' }],
          },
          'assertions.0.value',
        ],
      ];
      for (const [method, path, body, field] of cases) {
        assertRejected(
          await s.request(method, path, body),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          field,
        );
      }
      assertRejected(
        await s.request('GET', '/api/prompt-cards?q=a%00b'),
        422,
        'PCS_ERR_VALIDATION_FAILED',
        'query.q',
      );
      assertRejected(
        await s.request('GET', '/api/prompt-cards?tag=x%00'),
        422,
        'PCS_ERR_VALIDATION_FAILED',
        'query.tag',
      );
    });

    it('rejects model ids and tags with control characters (they become metric labels)', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      for (const model of [
        'simulated:fa\u0000st',
        'simulated:a\nb',
        'simulated:\u001b[31m',
        'simulated:\u200bx',
      ]) {
        assertRejected(
          await s.request('POST', `/api/prompt-cards/${cardId}/runs`, {
            models: ['simulated:fast', model],
          }),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          'models.1',
        );
      }
      assertRejected(
        await s.request('POST', '/api/prompt-cards', { ...card, tags: ['a\tb'] }),
        422,
        'PCS_ERR_VALIDATION_FAILED',
        'tags.0',
      );
    });

    it('rejects __proto__, constructor and prototype keys in every object with 422', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const raw = `{"name":"n","input_variables":{"name":"x","${key}":{"p":1}}}`;
        assertRejected(
          await s.request('POST', `/api/prompt-cards/${cardId}/test-cases`, raw),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          `input_variables.${key}`,
        );
        assertRejected(
          await s.request(
            'POST',
            '/api/prompt-cards',
            `{"title":"t","prompt_template":"p","${key}":1}`,
          ),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          key,
        );
        assertRejected(
          await s.request('GET', `/api/prompt-cards?${key}=1`),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          `query.${key}`,
        );
      }
    });

    it('applies the same text checks to bulk import and sync (JSON, JSONL, CSV): 422 naming row and field', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      const path = `/api/prompt-cards/${cardId}/test-cases/import`;
      const json = { 'content-type': 'application/json' };
      const jsonl = { 'content-type': 'application/x-ndjson' };
      const csv = { 'content-type': 'text/csv' };
      const cases: [string, string, Record<string, string>, string][] = [
        [path, '[{"name":"a\\u0000b","input_variables":{"name":"x"}}]', json, 'rows.1.name'],
        [
          path,
          '[{"name":"n","input_variables":{"name":"\\ud800"}}]',
          json,
          'rows.1.input_variables.name',
        ],
        [
          `${path}?mode=sync`,
          '[{"name":"ok","input_variables":{"name":"x"}},{"name":"n","input_variables":{"name":"x"},"expected_output":"\\u0000"}]',
          json,
          'rows.2.expected_output',
        ],
        [
          path,
          '{"name":"n","input_variables":{"name":"x","__proto__":{"p":1}}}\n',
          jsonl,
          'rows.1.input_variables.__proto__',
        ],
        [
          `${path}?mode=sync`,
          '{"name":"n","constructor":1,"input_variables":{"name":"x"}}\n',
          jsonl,
          'rows.1.constructor',
        ],
        // (A lone surrogate cannot travel in CSV: the client's UTF-8 encoder replaces it.)
        [path, 'name,var:name\nn\u0000,Ada\n', csv, 'rows.2.name'],
        [path, 'name,var:name\nn,A\u0000da\n', csv, 'rows.2.input_variables.name'],
        [path, 'name,var:name,__proto__\nn,Ada,x\n', csv, 'columns'],
        [`${path}?mode=sync`, 'name,var:name,var:constructor\nn,Ada,x\n', csv, 'columns'],
      ];
      for (const [target, body, headers, field] of cases) {
        assertRejected(
          await s.request('POST', target, body, headers),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          field,
        );
      }
    });

    it('answers 422 query.step for durations that are not finite and in range', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      for (const step of [
        `${'9'.repeat(400)}w`,
        '1e3s',
        `0.${'0'.repeat(30)}1ms`,
        '99999999999999999999d',
      ]) {
        assertRejected(
          await s.request('GET', `/api/analytics/series?series=request_rate&step=${step}`),
          422,
          'PCS_ERR_VALIDATION_FAILED',
          'query.step',
        );
      }
      assertRejected(
        await s.request(
          'GET',
          `/api/analytics/forecast?series=request_rate&horizon=${'9'.repeat(400)}w`,
        ),
        422,
        'PCS_ERR_VALIDATION_FAILED',
        'query.horizon',
      );
    });

    it('answers 400 naming alerts.N.startsAt and endsAt for times that are not RFC 3339', async (t) => {
      const s = live(t);
      if (s === undefined) return;
      const alert = (startsAt: string, endsAt: string) => ({
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'r',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'A' },
            startsAt: '2026-11-27T10:00:00Z',
            fingerprint: 'ok1',
          },
          { status: 'firing', labels: { alertname: 'A' }, startsAt, endsAt, fingerprint: 'bad1' },
        ],
      });
      assertRejected(
        await s.request('POST', '/api/alerts/webhook', alert('not a date', '0001-01-01T00:00:00Z')),
        400,
        'PCS_ERR_ALERT_BAD_PAYLOAD',
        'alerts.1.startsAt',
      );
      assertRejected(
        await s.request('POST', '/api/alerts/webhook', alert('2026-11-27T10:00:00Z', 'soon')),
        400,
        'PCS_ERR_ALERT_BAD_PAYLOAD',
        'alerts.1.endsAt',
      );
    });

    it("answers Node's own parser errors with the catalog JSON body", async (t) => {
      const s = live(t);
      if (s === undefined) return;
      const bad = parseRaw(await rawExchange(s.url, 'GARBAGE\r\n\r\n'));
      assert.equal(bad.status, 400);
      assert.match(bad.headers, /content-type: application\/json/);
      assert.deepEqual(
        (bad.body as { error: { code: string } }).error.code,
        'PCS_ERR_HTTP_BAD_REQUEST',
      );
      const huge = parseRaw(
        await rawExchange(
          s.url,
          `GET /live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        ),
      );
      assert.equal(huge.status, 431);
      assert.deepEqual(
        (huge.body as { error: { code: string } }).error.code,
        'PCS_ERR_HTTP_HEADERS_TOO_LARGE',
      );
    });
  });
}
