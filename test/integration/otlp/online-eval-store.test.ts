/**
 * The evaluation store on SQLite and PostgreSQL: an exporter's retry adds nothing, a claimed
 * evaluation is not claimed twice while its lease holds, is claimed again once the lease ran
 * out (the evaluating process died), and a completed one is never claimed again; a card's
 * evaluations are read in keyset pages, newest span first, each exactly once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewEvaluation } from '../../../src/otlp/online-eval-store.js';
import { openOnlineStore, openers } from '../../support/online-store-fixture.js';

const OPENERS = openers('online');

for (const [kind, open] of OPENERS) {
  describe(`online evaluation store (${kind})`, () => {
    it('dedupes retries, leases claims, recovers expired leases, completes once', async (t) => {
      const fixture = await openOnlineStore(t, open);
      if (fixture === undefined) return;
      const { database, store, newCard, newRule } = fixture;
      const card = await newCard('Store');
      const rule = await newRule(card.id);
      const item = (spanId: string): NewEvaluation => ({
        ruleId: rule.id,
        cardId: card.id,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId,
        model: 'm',
        inputText: 'in',
        outputText: 'out',
        variables: {},
        spanEndedAtMs: 1,
      });
      assert.equal(await store.enqueue([item('0000000000000001'), item('0000000000000002')]), 2);
      assert.equal(await store.enqueue([item('0000000000000001')]), 0);
      assert.equal(await store.backlog(), 2);

      const first = await store.claim(1, 60_000);
      assert.equal(first.length, 1);
      const second = await store.claim(10, 60_000);
      assert.deepEqual(
        second.map((e) => e.span_id),
        ['0000000000000002'],
        'the held lease keeps the first out',
      );
      assert.deepEqual(await store.claim(10, 60_000), [], 'both are held');
      await store.complete(second[0]?.id ?? '', {
        judged: true,
        pass: true,
        score: 1,
        results: [],
        error: null,
        notJudgedReason: null,
        costUsd: null,
      });
      assert.equal(await store.backlog(), 1);
      // The first one's lease runs out, as when the process holding it dies.
      await database.db
        .updateTable('online_evaluations')
        .set({ claimed_until: Date.now() - 1 })
        .where('status', '=', 'pending')
        .execute();
      const recovered = await store.claim(10, 60_000);
      assert.deepEqual(
        recovered.map((e) => e.id),
        [first[0]?.id],
      );
      const listed = await store.list(card.id, { limit: 10, offset: 0 });
      assert.equal(listed.total, 2);
      assert.deepEqual(listed.items.map((e) => e.status).sort(), ['done', 'pending']);

      // Keyset pages: spans ending at 10, 20, … (two share an end), read 2 at a time by `after`.
      const ends = [10, 20, 20, 30, 40];
      await store.enqueue(
        ends.map((end, i) => ({
          ...item(`00000000000001${String(i).padStart(2, '0')}`),
          spanEndedAtMs: end,
        })),
      );
      const seen: string[] = [];
      let after: (string | number)[] | undefined;
      for (let page = 0; page < 10; page++) {
        const got = await store.list(card.id, { limit: 2, offset: 0, after });
        seen.push(...got.items.map((e) => e.span_id));
        const last = got.items.at(-1);
        if (got.items.length < 2 || last === undefined) break;
        after = [Date.parse(last.span_ended_at), last.id];
      }
      assert.equal(seen.length, 7, 'every evaluation once');
      assert.equal(new Set(seen).size, 7);
      const all = await store.list(card.id, { limit: 100, offset: 0 });
      assert.deepEqual(
        all.items.map((e) => e.span_id),
        seen,
        'pages by key read the same order as one page',
      );
      const times = all.items.map((e) => Date.parse(e.span_ended_at));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
        'newest span first',
      );
    });
  });
}
