/**
 * A run reads its test cases a window at a time in start order (test-case-source.ts): every
 * item gets its own case (repeated ids, deleted cases), and while items start in order the
 * source holds at most two windows of cases, never the whole card.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CardStore, cardInputSchema, testCaseInputSchema } from '../../../src/cards/index.js';
import { connectDatabase, migrateToLatest } from '../../../src/db/index.js';
import { TestCaseSource } from '../../../src/runs/test-case-source.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());

describe('test cases read by window', () => {
  it('gives every item its case and holds at most two windows', async () => {
    const handle = await connectDatabase(`sqlite:${join(dir.path, 'window.db')}`);
    try {
      await migrateToLatest(handle.db);
      const cards = new CardStore(handle.db);
      const card = await cards.createCard(
        cardInputSchema.parse({ title: 'W', prompt_template: '{{n}}' }),
      );
      const ids = await cards.insertTestCases(
        card.id,
        Array.from({ length: 1000 }, (_, i) =>
          testCaseInputSchema.parse({ name: `case ${i}`, input_variables: { n: String(i) } }),
        ),
      );
      assert.ok(await cards.deleteTestCase(ids[500] ?? ''));
      // Two repetitions × two models, in plan order: repetition, test case, model.
      const plan = [1, 2].flatMap(() => ids.flatMap((id) => [id, id]));
      const source = new TestCaseSource(cards, card.id, plan, 100);
      await source.loadFirst();
      let most = 0;
      for (const [position, id] of plan.entries()) {
        const found = await source.get(position);
        most = Math.max(most, source.heldCases());
        if (id === ids[500]) assert.equal(found, undefined, 'a deleted case');
        else assert.equal(found?.id, id, `position ${position}`);
      }
      // A window of 100 items holds 50 cases (two models each): two windows, 100 cases.
      assert.ok(most <= 100, `held at most ${most} cases`);
    } finally {
      await handle.close();
    }
  });
});
