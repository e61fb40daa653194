/**
 * A card's online verdicts counted per hour and per day on SQLite and PostgreSQL (passed,
 * failed, not judged, errors, pending in the bucket of their span's end; empty buckets present;
 * spans outside the window left out), and the HTTP route: the configured trace link, 422 naming
 * the query field, 404 for an unknown card.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewEvaluation } from '../../../src/otlp/online-eval-store.js';
import { summariseOnline } from '../../../src/otlp/online-summary.js';
import { startTestServer } from '../../support/test-server.js';
import { openOnlineStore, openers } from '../../support/online-store-fixture.js';

const OPENERS = openers('summary');

const HOUR = 3_600_000;
/** 2026-03-10T12:30:00Z: half past, so one hour back is still the same day. */
const NOW = Date.UTC(2026, 2, 10, 12, 30);

for (const [kind, open] of OPENERS) {
  describe(`online verdict summary (${kind})`, () => {
    it('counts each verdict in the bucket of its span end', async (t) => {
      const fixture = await openOnlineStore(t, open);
      if (fixture === undefined) return;
      const { database, store, newCard, newRule } = fixture;
      const card = await newCard('Summary');
      const rule = await newRule(card.id);
      let n = 0;
      const item = (endedAt: number): NewEvaluation => ({
        ruleId: rule.id,
        cardId: card.id,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: (++n).toString(16).padStart(16, '0'),
        model: 'm',
        inputText: 'in',
        outputText: 'out',
        variables: {},
        spanEndedAtMs: endedAt,
      });
      // This hour: 3 passed, 1 failed, 1 error, 1 not judged, 1 pending. One hour back: 1 failed.
      // Three days back: 1 passed (outside 48 hours, inside 30 days).
      const thisHour = [NOW - 60_000, NOW - 120_000, NOW - 180_000, NOW, NOW + 1, NOW + 2, NOW + 3];
      await store.enqueue([...thisHour, NOW - HOUR, NOW - 72 * HOUR].map(item));
      const claimed = await store.claim(100, 60_000);
      const verdicts = [
        ...[true, true, true, false].map((pass) => ({ judged: true, pass, error: null })),
        { judged: true, pass: false, error: 'grader down' },
        { judged: false, pass: false, error: null },
        null,
        { judged: true, pass: false, error: null },
        { judged: true, pass: true, error: null },
      ];
      const byEnd = new Map(claimed.map((e) => [Date.parse(e.span_ended_at), e.id]));
      const ends = [...thisHour, NOW - HOUR, NOW - 72 * HOUR];
      for (const [i, verdict] of verdicts.entries()) {
        const id = byEnd.get(ends[i] ?? -1);
        assert.ok(id !== undefined);
        if (verdict !== null)
          await store.complete(id, {
            ...verdict,
            score: 0,
            results: [],
            notJudgedReason: null,
            costUsd: null,
          });
      }
      // The pending one goes back to unclaimed-pending for the count: its status is what counts.
      const hours = await summariseOnline(database.db, card.id, {
        bucket: 'hour',
        buckets: 48,
        nowMs: NOW,
      });
      assert.equal(hours.items.length, 48);
      assert.equal(hours.until, '2026-03-10T13:00:00.000Z');
      assert.equal(hours.since, '2026-03-08T13:00:00.000Z');
      const last = hours.items.at(-1);
      assert.deepEqual(last, {
        start: '2026-03-10T12:00:00.000Z',
        total: 7,
        pending: 1,
        passed: 3,
        failed: 1,
        not_judged: 1,
        errors: 1,
        pass_ratio: 0.75,
      });
      const previous = hours.items.at(-2);
      assert.equal(previous?.start, '2026-03-10T11:00:00.000Z');
      assert.equal(previous.failed, 1);
      assert.equal(previous.pass_ratio, 0);
      assert.equal(
        hours.items.reduce((sum, p) => sum + p.total, 0),
        8,
        'the span three days back is outside 48 hours',
      );
      assert.equal(hours.items[0]?.pass_ratio, null);

      const days = await summariseOnline(database.db, card.id, {
        bucket: 'day',
        buckets: 30,
        nowMs: NOW,
      });
      assert.equal(days.items.length, 30);
      assert.equal(days.items.at(-1)?.start, '2026-03-10T00:00:00.000Z');
      assert.equal(days.items.at(-1)?.total, 8);
      assert.equal(days.items.at(-1)?.pass_ratio, 3 / 5);
      assert.equal(days.items.at(-4)?.start, '2026-03-07T00:00:00.000Z');
      assert.equal(days.items.at(-4)?.passed, 1);
    });
  });
}

describe('GET /api/prompt-cards/:id/online-evaluations/summary', () => {
  it('answers the trace link, 422 naming the query field, 404 for an unknown card', async (t) => {
    const server = await startTestServer({
      TRACE_URL_TEMPLATE: 'http://127.0.0.1:16686/trace/{trace_id}?uiFind={span_id}',
    });
    t.after(() => server.dispose());
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Route',
      prompt_template: 'Hi',
    });
    const base = `/api/prompt-cards/${card.body.id as string}/online-evaluations/summary`;
    const ok = await server.request('GET', `${base}?bucket=day&buckets=7`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.bucket, 'day');
    assert.equal(
      ok.body.trace_url_template,
      'http://127.0.0.1:16686/trace/{trace_id}?uiFind={span_id}',
    );
    assert.equal((ok.body.items as unknown[]).length, 7);
    assert.equal(((await server.request('GET', base)).body.items as unknown[]).length, 48);

    for (const [query, field] of [
      ['bucket=week', 'query.bucket'],
      ['buckets=0', 'query.buckets'],
      ['bucket=day&buckets=91', 'query.buckets'],
      ['colour=red', 'query.colour'],
    ] as const) {
      const bad = await server.request('GET', `${base}?${query}`);
      assert.equal(bad.status, 422, `${query}: ${bad.text}`);
      const error = bad.body.error as { fields: { field: string }[] };
      const fields = error.fields.map((f) => f.field);
      assert.ok(fields.includes(field), `${query}: ${bad.text}`);
    }
    const missing = await server.request(
      'GET',
      '/api/prompt-cards/no-such-card/online-evaluations/summary',
    );
    assert.equal(missing.status, 404);
  });
});
