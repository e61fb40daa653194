/**
 * A seeded generator of malformed requests across every route (mulberry32, so a failure replays
 * from its seed and index): valid-looking requests with 1–3 mutations of the path id, the query,
 * the body, or its headers. Request bodies start from a valid template per route and lose
 * fields, gain unknown or prototype keys, get wrong types, U+0000, unpaired surrogates, deep
 * nesting, huge numbers, or stop being JSON at all. The bulk import is fuzzed in its three
 * formats (a JSON array, JSON Lines, CSV; sometimes `?mode=sync`): mutated rows, broken lines,
 * unbalanced quotes, ragged columns, byte-order marks, CRLF and stray NUL bytes.
 * `jsonBodyShape` tells the test which requests carry JSON that is not an object (never 2xx).
 */
import { gzipSync } from 'node:zlib';

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzIds {
  /** A card with a test case (PUT targets). */
  readonly card: string;
  /** A card without test cases: a run request that passes validation is a 409, never a run. */
  readonly emptyCard: string;
  readonly testCase: string;
  /** A card (`{{who}}`) that bulk imports write to (a sync there deletes nothing else's cases). */
  readonly importCard: string;
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

const WEIRD_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0.5,
  '',
  ' ',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u200b',
  'x'.repeat(5000),
  [],
  [null],
  {},
  { __proto__: null, a: 1 },
  '%ZZ',
  '{{',
  '}}{{name}}',
  '1e999',
  'NaN',
  '2026-13-45T99:99:99Z',
];

const BAD_IDS = [
  '%ZZ',
  '%',
  '%E0%A4',
  '%00',
  '%ED%A0%80',
  'x'.repeat(300),
  '..',
  '%2F..%2F',
  'null',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  '%F0%9F%98%80',
  '%20',
  'a%0Ab',
];

function bodyTemplate(route: string): Record<string, unknown> {
  switch (route) {
    case 'card':
      return { title: 'T', prompt_template: 'Hi {{name}}', tags: ['t'], description: '' };
    case 'test-case':
      return {
        name: 'n',
        input_variables: { name: 'x' },
        expected_output: null,
        assertions: [{ type: 'contains', value: 'x' }],
      };
    case 'run':
      return { models: ['simulated:fast'], concurrency: 1, repeat: 1 };
    case 'alert':
      return {
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'r',
        truncatedAlerts: 0,
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'A', severity: 'warning' },
            annotations: {},
            startsAt: '2026-11-27T10:00:00Z',
            fingerprint: 'fz',
          },
        ],
      };
    default:
      return {};
  }
}

/** Replaces, deletes or adds one value somewhere inside `value`. */
function mutate(random: Random, value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 3 || random() < 0.3) {
    return pick(random, WEIRD_VALUES);
  }
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length === 0 || random() < 0.3) copy.push(pick(random, WEIRD_VALUES));
    else {
      const i = Math.floor(random() * copy.length);
      copy[i] = mutate(random, copy[i], depth + 1);
    }
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = random();
  if (roll < 0.2 && keys.length > 0) delete copy[pick(random, keys)];
  else if (roll < 0.35)
    copy[pick(random, ['extra', '__proto__', 'constructor', 'prototype', 'a\u0000', ''])] = 1;
  else if (keys.length > 0) {
    const key = pick(random, keys);
    copy[key] = mutate(random, copy[key], depth + 1);
  }
  return copy;
}

function deepNesting(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

function badQuery(random: Random): string {
  const names = [
    'limit',
    'offset',
    'q',
    'tag',
    'series',
    'step',
    'range',
    'horizon',
    'since',
    'severity',
    'query',
    'history',
    '__proto__',
    'x',
  ];
  const values = [
    '-1',
    '0',
    '1e3',
    'abc',
    '%00',
    '%ZZ',
    '9'.repeat(400) + 'w',
    '1.5',
    '',
    'NaN',
    'Infinity',
    '7d',
    '0ms',
    '%ED%A0%80',
    'a&b=c',
    'critical,nope',
    'up',
  ];
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) parts.push(`${pick(random, names)}=${pick(random, values)}`);
  if (random() < 0.2) parts.push(parts[0] ?? 'limit=1'); // a repeated parameter
  return `?${parts.join('&')}`;
}

const CSV_CELLS: readonly string[] = [
  'plain',
  '"quoted, with comma"',
  '"unbalanced',
  'a""b',
  '',
  '\u0000',
  '\ud800',
  '[{"type":"contains","value":"x"}]',
  '[{"type":"nope"}]',
  '{"__proto__":1}',
  '"[{""type"":""contains"",""value"":""x""}]"',
  'x'.repeat(3000),
  '=1+1',
];

/** A valid CSV cell for a column (`assertions` holds JSON, quoted as CSV quotes it). */
function csvCell(column: string, row: number): string {
  if (column === 'assertions') return '"[{""type"":""contains"",""value"":""x""}]"';
  return column === 'name' ? `case ${row}` : `v${row}`;
}

/** A bulk-import body in `format`, from 1–3 valid rows with 0–2 mutations. */
function importBody(random: Random, format: 'json' | 'jsonl' | 'csv'): string {
  const rows = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => ({
    name: `row ${i}`,
    input_variables: { who: 'x' },
    expected_output: null,
    assertions: [{ type: 'contains', value: 'x' }],
  }));
  // 0–2 mutations, each inside one row (a mutated array rarely keeps any row valid), and now
  // and then of the whole body: valid rows must land, bad ones must be refused whole.
  const mutated: unknown[] = [...rows];
  const mutations = Math.floor(random() * 3);
  for (let i = 0; i < mutations; i++) {
    const at = Math.floor(random() * mutated.length);
    mutated[at] = mutate(random, mutated[at]);
  }
  const value: unknown = random() < 0.1 ? mutate(random, mutated) : mutated;
  let body: string;
  if (format === 'json') body = JSON.stringify(value) ?? 'null';
  else if (format === 'jsonl') {
    const lines = (Array.isArray(value) ? value : [value]).map((row) => JSON.stringify(row) ?? '');
    if (random() < 0.3) lines.splice(Math.floor(random() * lines.length), 0, '{"name": "broken');
    if (random() < 0.2) lines.push('', '   ');
    body = lines.join(random() < 0.2 ? '\r\n' : '\n');
  } else {
    const header = ['name', 'who', 'expected_output', 'assertions', '__expected'].filter(
      () => random() < 0.85,
    );
    if (random() < 0.2) header.push(pick(random, ['__proto__', 'constructor', '', 'name']));
    const lines = [header.join(',')];
    for (let r = 0; r < 1 + Math.floor(random() * 4); r++) {
      const width = header.length + (random() < 0.2 ? pick(random, [-1, 1, 3]) : 0);
      lines.push(
        Array.from({ length: Math.max(0, width) }, (_, c) =>
          random() < 0.8 ? csvCell(header[c] ?? '', r) : pick(random, CSV_CELLS),
        ).join(','),
      );
    }
    body = lines.join(random() < 0.2 ? '\r\n' : '\n');
  }
  const roll = random();
  if (roll < 0.1) body = '\ufeff' + body;
  else if (roll < 0.15) body = body.slice(0, Math.floor(body.length / 2));
  else if (roll < 0.18) body = body.replace(/,/, ',\u0000');
  return body;
}

const IMPORT_TYPES = {
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
} as const;

/**
 * `array`, `scalar` (null, a number, a string, a boolean) or `object` for a body that parses as
 * JSON and is sent as JSON (no content-encoding); undefined otherwise.
 */
export function jsonBodyShape(request: FuzzRequest): 'array' | 'scalar' | 'object' | undefined {
  if (typeof request.body !== 'string' || request.headers['content-encoding'] !== undefined)
    return undefined;
  if (request.headers['content-type'] !== 'application/json') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch {
    return undefined;
  }
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' && value !== null ? 'object' : 'scalar';
}

export function generateRequest(random: Random, ids: FuzzIds): FuzzRequest {
  if (random() < 0.12) {
    const format = pick(random, ['json', 'jsonl', 'csv'] as const);
    const card = random() < 0.9 ? ids.importCard : pick(random, BAD_IDS);
    const query = random() < 0.3 ? '?mode=sync' : random() < 0.1 ? badQuery(random) : '';
    const contentType =
      random() < 0.9 ? IMPORT_TYPES[format] : pick(random, Object.values(IMPORT_TYPES));
    return {
      method: 'POST',
      path: `/api/prompt-cards/${card}/test-cases/import${query}`,
      headers: { 'content-type': contentType },
      body: importBody(random, format),
    };
  }
  const id = (real: string) => (random() < 0.5 ? real : pick(random, BAD_IDS));
  const garbage = () => pick(random, BAD_IDS);
  const routes: [string, string, string | undefined][] = [
    ['POST', '/api/prompt-cards', 'card'],
    ['GET', '/api/prompt-cards', undefined],
    ['GET', `/api/prompt-cards/${id(ids.card)}`, undefined],
    ['PUT', `/api/prompt-cards/${id(ids.card)}`, 'card'],
    ['DELETE', `/api/prompt-cards/${garbage()}`, undefined],
    ['POST', `/api/prompt-cards/${id(ids.card)}/test-cases`, 'test-case'],
    ['GET', `/api/prompt-cards/${id(ids.card)}/test-cases`, undefined],
    ['GET', `/api/test-cases/${id(ids.testCase)}`, undefined],
    ['PUT', `/api/test-cases/${id(ids.testCase)}`, 'test-case'],
    ['DELETE', `/api/test-cases/${garbage()}`, undefined],
    ['POST', `/api/prompt-cards/${id(ids.emptyCard)}/runs`, 'run'],
    ['GET', `/api/prompt-cards/${id(ids.card)}/runs`, undefined],
    ['GET', `/api/runs/${garbage()}`, undefined],
    ['GET', `/api/runs/${garbage()}/results`, undefined],
    // These take no body: a mutated `{}` sends them arrays, scalars and unknown fields.
    ['POST', `/api/runs/${garbage()}/cancel`, 'none'],
    ['POST', `/api/runs/${garbage()}/resume`, 'none'],
    ['GET', '/api/models', undefined],
    ['GET', '/api/assertion-types', undefined],
    ['GET', '/api/metrics', undefined],
    ['POST', '/api/alerts/webhook', 'alert'],
    ['GET', '/api/alerts', undefined],
    ['GET', '/api/alerts/history', undefined],
    ['GET', '/api/analytics/series', undefined],
    ['GET', '/api/analytics/forecast', undefined],
    ['GET', '/api/analytics/anomalies', undefined],
    ['GET', '/api/analytics/capacity', undefined],
    ['GET', '/health/comprehensive', undefined],
    ['GET', `/health/${garbage()}`, undefined],
    ['GET', '/ready', undefined],
    ['GET', '/live', undefined],
    ['PATCH', `/api/prompt-cards/${id(ids.card)}`, 'card'],
  ];
  const [method, path, bodyKind] = pick(random, routes);
  const headers: Record<string, string> = {};
  let body: string | Buffer | undefined;
  if (bodyKind !== undefined || (method !== 'GET' && random() < 0.1)) {
    let value: unknown = bodyTemplate(bodyKind ?? '');
    const mutations = 1 + Math.floor(random() * 3);
    for (let i = 0; i < mutations; i++) value = mutate(random, value);
    body = JSON.stringify(value) ?? 'null';
    headers['content-type'] = 'application/json';
    const roll = random();
    if (roll < 0.05) body = body.slice(0, Math.floor(body.length / 2));
    else if (roll < 0.08) body = deepNesting(5000);
    else if (roll < 0.1)
      headers['content-type'] = pick(random, [
        'text/plain',
        'application/json; charset=latin1',
        'multipart/form-data',
      ]);
    else if (roll < 0.12)
      headers['content-encoding'] = pick(random, ['gzip', 'deflate', 'br', 'compress']);
    else if (roll < 0.13) {
      headers['content-encoding'] = 'gzip';
      body = gzipSync(body);
    } else if (roll < 0.15) body = '\u0000\uffff' + body;
  }
  const query = random() < 0.35 ? badQuery(random) : '';
  if (random() < 0.05) headers['x-user-role'] = pick(random, ['', 'a b', 'x'.repeat(40), 'admin']);
  return { method, path: path + query, headers, ...(body === undefined ? {} : { body }) };
}
