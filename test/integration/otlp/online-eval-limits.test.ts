/**
 * The store's limits on SQLite and PostgreSQL: the oldest pending evaluation's age, today's
 * judge spend, and the retention sweep — done evaluations older than the retention deleted in
 * batches, a card's done evaluations beyond its cap deleted oldest span first, pending ones
 * never.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OnlineEvalRetention } from '../../../src/otlp/online-eval-retention.js';
import type { NewEvaluation } from '../../../src/otlp/online-eval-store.js';
import { openOnlineStore, openers } from '../../support/online-store-fixture.js';

const OPENERS = openers('limits');
const DAY = 86_400_000;

for (const [kind, open] of OPENERS) {
  describe(`online evaluation limits (${kind})`, () => {
    it('reports the oldest pending age and the judge spend, and sweeps by age and cap', async (t) => {
      const fixture = await openOnlineStore(t, open);
      if (fixture === undefined) return;
      const { database, store, newCard, newRule } = fixture;
      const [a, b] = [await newCard('A'), await newCard('B')];
      const ruleOf = (cardId: string) => newRule(cardId, 2);
      const [ruleA, ruleB] = [await ruleOf(a.id), await ruleOf(b.id)];
      assert.equal((await store.listRules(a.id))[0]?.judge_concurrency, 2);
      const item = (ruleId: string, cardId: string, n: number): NewEvaluation => ({
        ruleId,
        cardId,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: n.toString(16).padStart(16, '0'),
        model: 'm',
        inputText: 'in',
        outputText: 'out',
        variables: {},
        spanEndedAtMs: n,
      });

      assert.equal(await store.oldestPendingAgeSeconds(), 0, 'nothing pending');
      await store.enqueue(Array.from({ length: 12 }, (_, i) => item(ruleA.id, a.id, i + 1)));
      await store.enqueue(Array.from({ length: 3 }, (_, i) => item(ruleB.id, b.id, i + 1)));
      const received = Date.parse(
        (await store.list(a.id, { limit: 1, offset: 0 })).items[0]?.received_at ?? '',
      );
      assert.equal(await store.oldestPendingAgeSeconds(received + 5000), 5);

      // Judge all of them, each at a cost of 0.25 USD, except one of card A left pending.
      const claimed = await store.claim(100, 60_000);
      const keepPending = claimed.find((e) => e.prompt_card_id === a.id && e.span_id.endsWith('c'));
      for (const e of claimed)
        if (e !== keepPending)
          await store.complete(e.id, {
            judged: true,
            pass: true,
            score: 1,
            results: [],
            error: null,
            notJudgedReason: null,
            costUsd: 0.25,
          });
      const midnight = new Date();
      midnight.setUTCHours(0, 0, 0, 0);
      assert.equal(await store.judgeSpendSince(midnight.toISOString()), 14 * 0.25);
      assert.equal(await store.judgeSpendSince(new Date(Date.now() + DAY).toISOString()), 0);
      assert.ok((await store.oldestPendingAgeSeconds(received + 5000)) >= 5, 'one still pending');

      // Card A's first 4 spans (and one of B) were received 40 days ago.
      const old = new Date(Date.now() - 40 * DAY).toISOString();
      await database.db
        .updateTable('online_evaluations')
        .set({ received_at: old })
        .where((eb) =>
          eb.or([
            eb.and([eb('prompt_card_id', '=', a.id), eb('span_ended_at', '<=', 4)]),
            eb.and([eb('prompt_card_id', '=', b.id), eb('span_ended_at', '=', 1)]),
          ]),
        )
        .execute();
      // The pending one is old too: it must survive.
      await database.db
        .updateTable('online_evaluations')
        .set({ received_at: old })
        .where('status', '=', 'pending')
        .execute();

      const byAge = new OnlineEvalRetention(database.db, {
        retentionDays: 30,
        maxPerCard: undefined,
        batchSize: 2,
      });
      assert.deepEqual(await byAge.sweep(), { expired: 5, capped: 0 });
      assert.deepEqual(await byAge.sweep(), { expired: 0, capped: 0 }, 'nothing left to expire');
      const spansOf = async (cardId: string) =>
        (await store.list(cardId, { limit: 100, offset: 0 })).items.map((e) => e.span_ended_at);
      assert.equal((await spansOf(a.id)).length, 8, '12 - 4 old');
      assert.equal((await spansOf(b.id)).length, 2);
      assert.equal(await store.backlog(), 1, 'the pending one is kept');

      const byCap = new OnlineEvalRetention(database.db, {
        retentionDays: undefined,
        maxPerCard: 3,
        batchSize: 2,
      });
      assert.deepEqual(await byCap.sweep(), { expired: 0, capped: 4 });
      const keptA = await store.list(a.id, { limit: 100, offset: 0 });
      assert.deepEqual(
        keptA.items.filter((e) => e.status === 'done').map((e) => Date.parse(e.span_ended_at)),
        [11, 10, 9],
        'the newest 3 done spans of A',
      );
      assert.equal(keptA.items.filter((e) => e.status === 'pending').length, 1);
      assert.equal((await spansOf(b.id)).length, 2, 'B is under its cap');
    });
  });
}
