/**
 * The card store contract, run against every database: SQLite in test/integration and
 * PostgreSQL in test/system. Each call of `open` must give an empty, migrated database.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CardStore, cardInputSchema, testCaseInputSchema } from '../../src/cards/index.js';
import { migrateToLatest, type DatabaseHandle } from '../../src/db/index.js';
import { suiteDatabase } from './suite-database.js';

const card = (over: Record<string, unknown> = {}) =>
  cardInputSchema.parse({ title: 'T', prompt_template: 'Hello {{name}}', ...over });
const testCase = (over: Record<string, unknown> = {}) =>
  testCaseInputSchema.parse({ name: 'tc', input_variables: { name: 'Ada' }, ...over });

export function defineCardStoreSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
): void {
  describe(`CardStore on ${label}`, () => {
    const database = suiteDatabase(open);
    let store: CardStore;
    before(() => {
      if (database.open) store = new CardStore(database.handle.db);
    });

    it('applies migrations once: a second run applies nothing', async (t) => {
      if (database.skip(t)) return;
      assert.deepEqual(await migrateToLatest(database.handle.db), []);
    });

    it('creates a card with derived variables and reads it back', async (t) => {
      if (database.skip(t)) return;
      const created = await store.createCard(
        card({ prompt_template: '{{a}} and {{b}} and {{a}}', tags: ['x', 'y'] }),
      );
      assert.deepEqual(created.variables, ['a', 'b']);
      assert.equal(created.prompt_type, 'x');
      assert.equal(created.test_case_count, 0);
      assert.deepEqual(await store.getCard(created.id), created);
      assert.equal(await store.getCard('no-such-id'), undefined);
    });

    it('searches title and description case-insensitively, with LIKE wildcards taken literally', async (t) => {
      if (database.skip(t)) return;
      const a = await store.createCard(card({ title: 'Refund POLICY helper', tags: ['search-a'] }));
      const b = await store.createCard(
        card({ title: 'Other', description: 'about the refund policy', tags: ['search-a'] }),
      );
      const c = await store.createCard(card({ title: '100% literal_match', tags: ['search-b'] }));
      const found = await store.listCards({ q: 'refund policy', limit: 10, offset: 0 });
      assert.deepEqual(new Set(found.items.map((x) => x.id)), new Set([a.id, b.id]));
      const percent = await store.listCards({ q: '0% l', limit: 10, offset: 0 });
      assert.deepEqual(
        percent.items.map((x) => x.id),
        [c.id],
      );
      const underscore = await store.listCards({ q: 'r_l', limit: 10, offset: 0 });
      assert.equal(underscore.total, 0, 'an underscore must not match any character');
    });

    it('filters by tag and paginates with a total count, newest first', async (t) => {
      if (database.skip(t)) return;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (
            await store.createCard(
              card({ title: `page ${i}`, tags: ['paged'] }),
              new Date(Date.UTC(2030, 0, 1, 0, 0, i)),
            )
          ).id,
        );
      }
      const first = await store.listCards({ tag: 'paged', limit: 2, offset: 0 });
      const second = await store.listCards({ tag: 'paged', limit: 2, offset: 2 });
      const third = await store.listCards({ tag: 'paged', limit: 2, offset: 4 });
      assert.equal(first.total, 5);
      assert.deepEqual(
        [...first.items, ...second.items, ...third.items].map((x) => x.id),
        ids.reverse(),
      );
      assert.equal((await store.listCards({ tag: 'no-such-tag', limit: 5, offset: 0 })).total, 0);
    });

    it('updates a card, replacing its tags and variables', async (t) => {
      if (database.skip(t)) return;
      const created = await store.createCard(card({ tags: ['old'] }));
      const updated = await store.updateCard(
        created.id,
        card({ title: 'New', prompt_template: '{{q}}', tags: ['new', 'old'] }),
      );
      assert.equal(updated?.title, 'New');
      assert.deepEqual(updated?.variables, ['q']);
      assert.deepEqual(updated?.tags, ['new', 'old']);
      assert.equal(
        (await store.listCards({ tag: 'new', limit: 5, offset: 0 })).items[0]?.id,
        created.id,
      );
      assert.equal(await store.updateCard('missing', card()), undefined);
    });

    it('stores test cases with their JSON fields intact and counts them on the card', async (t) => {
      if (database.skip(t)) return;
      const parent = await store.createCard(card());
      const input = testCase({
        input_variables: { name: 'Zoë "quoted"', n: 3, flag: true },
        expected_output: 'Hello',
        assertions: [{ type: 'contains', value: 'Hello', weight: 2 }],
      });
      const created = await store.createTestCase(parent.id, input);
      assert.deepEqual(created.input_variables, { name: 'Zoë "quoted"', n: 3, flag: true });
      assert.deepEqual(created.assertions, [{ type: 'contains', value: 'Hello', weight: 2 }]);
      assert.equal((await store.getCard(parent.id))?.test_case_count, 1);
      const updated = await store.updateTestCase(created.id, testCase({ name: 'renamed' }));
      assert.equal(updated?.name, 'renamed');
      assert.equal(updated?.expected_output, null);
      const page = await store.listTestCases(parent.id, { limit: 10, offset: 0 });
      assert.equal(page.total, 1);
      assert.equal(await store.deleteTestCase(created.id), true);
      assert.equal(await store.deleteTestCase(created.id), false);
    });

    it('deleting a card deletes its test cases and tags', async (t) => {
      if (database.skip(t)) return;
      const parent = await store.createCard(card({ tags: ['doomed'] }));
      const tc = await store.createTestCase(parent.id, testCase());
      assert.equal(await store.deleteCard(parent.id), true);
      assert.equal(await store.getTestCase(tc.id), undefined);
      assert.equal((await store.listCards({ tag: 'doomed', limit: 5, offset: 0 })).total, 0);
      assert.equal(await store.deleteCard(parent.id), false);
    });
  });
}
