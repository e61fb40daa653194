/**
 * A large import leaves the event loop turning while it checks, seals and inserts (it stalled
 * the loop for the whole import), and stays one transaction: a row that fails in the database
 * after several chunks were inserted leaves no row behind. Counts loop turns, never time.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { CardService, CardStore, cardInputSchema } from '../../../src/cards/index.js';
import {
  connectDatabase,
  FieldCipher,
  migrateToLatest,
  type DatabaseHandle,
} from '../../../src/db/index.js';
import { tempDir } from '../../support/temp-dir.js';

const ROWS = 5_000;
const dir = tempDir();

function rows(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      name: `case ${i}`,
      input_variables: { word: `w${i}` },
      expected_output: `answer ${i}`,
      assertions: [{ type: 'contains', value: `w${i}` }],
    })),
  );
}

/** Loop turns (check phases) that pass while `work` runs. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}

describe('a large test-case import on SQLite', () => {
  let handle: DatabaseHandle;
  let service: CardService;
  let store: CardStore;
  before(async () => {
    handle = await connectDatabase(`sqlite:${join(dir.path, 'import.db')}`);
    await migrateToLatest(handle.db, handle.schema);
    store = new CardStore(handle.db, new FieldCipher('k'.repeat(32)));
    service = new CardService(store, { hasActiveRun: () => Promise.resolve(false) });
  });
  after(async () => {
    await handle.close();
    dir.remove();
  });

  const newCard = () =>
    service.createCard(cardInputSchema.parse({ title: 'bulk', prompt_template: 'Say {{word}}' }));
  const count = async (cardId: string) =>
    Number(
      (
        await handle.db
          .selectFrom('test_cases')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('prompt_card_id', '=', cardId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('yields to the event loop between chunks and stores every row, sealed, in order', async () => {
    const card = await newCard();
    let ids: readonly string[] = [];
    const turns = await turnsDuring(async () => {
      ids = await service.importTestCases(card.id, 'json', rows(ROWS));
    });
    // Checking and inserting each yield once per 500 rows (the loop never turned before).
    assert.ok(turns >= (2 * ROWS) / 500 - 2, `${turns} loop turns during the import`);
    assert.equal(ids.length, ROWS);
    assert.equal(new Set(ids).size, ROWS);
    assert.equal(await count(card.id), ROWS);
    const raw = await handle.db
      .selectFrom('test_cases')
      .select(['input_variables', 'expected_output'])
      .where('id', '=', ids[ROWS - 1] ?? '')
      .executeTakeFirstOrThrow();
    assert.ok(!raw.input_variables.includes(`w${ROWS - 1}`), 'sealed at rest');
    const last = await store.getTestCase(ids[ROWS - 1] ?? '');
    assert.deepEqual(last?.input_variables, { word: `w${ROWS - 1}` });
    assert.equal(last?.expected_output, `answer ${ROWS - 1}`);
  });

  it('stores nothing when a row fails in the database after earlier chunks were inserted', async () => {
    const card = await newCard();
    await sql`create trigger refuse_case_4321 before insert on test_cases
      when new.name = 'case 4321' begin select raise(abort, 'refused by the test trigger'); end`.execute(
      handle.db,
    );
    try {
      await assert.rejects(service.importTestCases(card.id, 'json', rows(ROWS)));
    } finally {
      await sql`drop trigger refuse_case_4321`.execute(handle.db);
    }
    assert.equal(await count(card.id), 0);
  });

  it('stores nothing when the last row is invalid (422 naming it)', async () => {
    const card = await newCard();
    const bad = JSON.parse(rows(ROWS)) as { input_variables: Record<string, string> }[];
    bad[ROWS - 1] = { ...bad[ROWS - 1], input_variables: {} };
    await assert.rejects(service.importTestCases(card.id, 'json', JSON.stringify(bad)), (error) => {
      const fields = (error as { fields?: { field: string }[] }).fields ?? [];
      assert.deepEqual(
        fields.map((f) => f.field),
        [`rows.${ROWS}.input_variables.word`],
      );
      return true;
    });
    assert.equal(await count(card.id), 0);
  });
});
