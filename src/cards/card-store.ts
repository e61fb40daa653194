/**
 * Persistence of prompt cards and test cases over Kysely; the same code runs on SQLite and
 * PostgreSQL. Writes that touch several rows run in one transaction, so a failure leaves
 * nothing half-written. Business rules (missing variables, active runs) live in CardService.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AssertionSpec } from '../assertions/index.js';
import {
  PLAINTEXT,
  type Database,
  type FieldCipher,
  type PromptCardTable,
  type TestCaseTable,
} from '../db/index.js';
import type {
  Card,
  CardInput,
  CardListQuery,
  Page,
  TestCase,
  TestCaseInput,
} from './card-schema.js';
import { keyAfter } from '../db/index.js';
import { nextCursor, yieldToLoop, YIELD_EVERY_ROWS } from '../util/index.js';
import { appendVersion } from './card-versions.js';
import { extractVariables, type TemplateValue } from './template.js';

type CardRow = Selectable<PromptCardTable> & { test_case_count: number | string | bigint };

export const PROMPT_TEMPLATE_FIELD = 'prompt_cards.prompt_template';

function toCard(row: CardRow, cipher: FieldCipher): Card {
  const tags = JSON.parse(row.tags) as string[];
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    prompt_template: cipher.decrypt(row.prompt_template, PROMPT_TEMPLATE_FIELD),
    tags,
    prompt_type: tags[0] ?? 'default',
    variables: JSON.parse(row.variables) as string[],
    pass_rate_threshold: row.pass_rate_threshold === null ? null : Number(row.pass_rate_threshold),
    show_thinking: Number(row.show_thinking) !== 0,
    test_case_count: Number(row.test_case_count),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Columns encrypted at rest when METRICS_ENCRYPTION_KEY is set (customer data). */
export const INPUT_VARIABLES_FIELD = 'test_cases.input_variables';
export const EXPECTED_OUTPUT_FIELD = 'test_cases.expected_output';
/** Assertion values are often the expected answer itself (`equals`, `contains`): sealed too. */
export const ASSERTIONS_FIELD = 'test_cases.assertions';

function toTestCase(row: Selectable<TestCaseTable>, cipher: FieldCipher): TestCase {
  return {
    id: row.id,
    prompt_card_id: row.prompt_card_id,
    name: row.name,
    input_variables: JSON.parse(
      cipher.decrypt(row.input_variables, INPUT_VARIABLES_FIELD),
    ) as Record<string, TemplateValue>,
    expected_output: cipher.decryptNullable(row.expected_output, EXPECTED_OUTPUT_FIELD),
    assertions: JSON.parse(cipher.decrypt(row.assertions, ASSERTIONS_FIELD)) as AssertionSpec[],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Escapes LIKE wildcards so `?q=50%` searches for "50%" literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What a sync changed: the counts the API answers, and each change for the audit trail. */
export interface SyncOutcome {
  readonly counts: { created: number; updated: number; deleted: number; unchanged: number };
  /** Ids of the test cases created and updated. */
  readonly created: readonly string[];
  readonly updated: readonly string[];
  /** The test cases deleted, as they were. */
  readonly deleted: readonly TestCase[];
}

export class CardStore {
  /** `cipher` encrypts test-case inputs and expected outputs; titles and tags stay searchable. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: FieldCipher = PLAINTEXT,
  ) {}

  private readonly toCard = (row: CardRow): Card => toCard(row, this.cipher);

  private readonly toTestCase = (row: Selectable<TestCaseTable>): TestCase =>
    toTestCase(row, this.cipher);

  private selectCards(db: Kysely<Database> = this.db) {
    return db
      .selectFrom('prompt_cards')
      .selectAll('prompt_cards')
      .select((eb) =>
        eb
          .selectFrom('test_cases')
          .select(eb.fn.countAll().as('n'))
          .whereRef('test_cases.prompt_card_id', '=', 'prompt_cards.id')
          .as('test_case_count'),
      );
  }

  /** `author`: the identity creating it, where authentication gives one (recorded on version 1). */
  async createCard(
    input: CardInput,
    now: Date = new Date(),
    author: string | null = null,
  ): Promise<Card> {
    const id = randomUUID();
    const timestamp = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('prompt_cards')
        .values({
          id,
          title: input.title,
          description: input.description,
          prompt_template: this.cipher.encrypt(input.prompt_template, PROMPT_TEMPLATE_FIELD),
          tags: JSON.stringify(input.tags),
          variables: JSON.stringify(extractVariables(input.prompt_template)),
          pass_rate_threshold: input.pass_rate_threshold,
          show_thinking: input.show_thinking === false ? 0 : 1,
          created_at: timestamp,
          updated_at: timestamp,
        })
        .execute();
      await this.writeTags(trx, id, input.tags);
      await appendVersion(trx, id, input.prompt_template, author, timestamp, this.cipher);
    });
    return (await this.getCard(id)) as Card;
  }

  private async writeTags(
    trx: Kysely<Database>,
    cardId: string,
    tags: readonly string[],
  ): Promise<void> {
    await trx.deleteFrom('prompt_card_tags').where('card_id', '=', cardId).execute();
    if (tags.length === 0) return;
    await trx
      .insertInto('prompt_card_tags')
      .values(tags.map((tag, position) => ({ card_id: cardId, tag, position })))
      .execute();
  }

  async getCard(id: string): Promise<Card | undefined> {
    const row = await this.selectCards().where('prompt_cards.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.toCard(row as CardRow);
  }

  async listCards(query: CardListQuery): Promise<Page<Card>> {
    let base = this.db.selectFrom('prompt_cards');
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = likePattern(query.q.trim());
      base = base.where(
        sql<boolean>`(lower(prompt_cards.title) like ${pattern} escape '\\' or lower(prompt_cards.description) like ${pattern} escape '\\')`,
      );
    }
    if (query.tag !== undefined) {
      const tag = query.tag;
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('prompt_card_tags')
            .select('prompt_card_tags.card_id')
            .whereRef('prompt_card_tags.card_id', '=', 'prompt_cards.id')
            .where('prompt_card_tags.tag', '=', tag),
        ),
      );
    }
    const countRow = await base
      .select((eb) => eb.fn.countAll().as('total'))
      .executeTakeFirstOrThrow();
    const keyed =
      query.after === undefined
        ? base
        : base.where(keyAfter(['prompt_cards.created_at', 'prompt_cards.id'], query.after, 'desc'));
    const ids = await keyed
      .select('prompt_cards.id')
      .orderBy('prompt_cards.created_at', 'desc')
      .orderBy('prompt_cards.id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    const cards =
      ids.length === 0
        ? []
        : await this.selectCards()
            .where(
              'prompt_cards.id',
              'in',
              ids.map((r) => r.id),
            )
            .execute();
    const byId = new Map(cards.map((row) => [row.id, this.toCard(row as CardRow)]));
    const items = ids.map((r) => byId.get(r.id)).filter((c): c is Card => c !== undefined);
    return {
      items,
      total: Number(countRow.total),
      limit: query.limit,
      offset: query.offset,
      next: nextCursor('cards', items, query.limit, (c) => [c.created_at, c.id]),
    };
  }

  /** A changed template becomes a new version, by `author` where authentication gives one. */
  async updateCard(
    id: string,
    input: CardInput,
    now: Date = new Date(),
    author: string | null = null,
  ): Promise<Card | undefined> {
    const updated = await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('prompt_cards')
        .select('prompt_template')
        .where('id', '=', id)
        .executeTakeFirst();
      const result = await trx
        .updateTable('prompt_cards')
        .set({
          title: input.title,
          description: input.description,
          prompt_template: this.cipher.encrypt(input.prompt_template, PROMPT_TEMPLATE_FIELD),
          tags: JSON.stringify(input.tags),
          variables: JSON.stringify(extractVariables(input.prompt_template)),
          pass_rate_threshold: input.pass_rate_threshold,
          ...(input.show_thinking === undefined
            ? {}
            : { show_thinking: input.show_thinking ? 1 : 0 }),
          updated_at: now.toISOString(),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await this.writeTags(trx, id, input.tags);
      if (before !== undefined && before.prompt_template !== input.prompt_template)
        await appendVersion(trx, id, input.prompt_template, author, now.toISOString(), this.cipher);
      return true;
    });
    return updated ? this.getCard(id) : undefined;
  }

  /**
   * Deletes the card unless it has a queued or running run, in one statement: a run another
   * process starts meanwhile cannot lose its card. Returns whether a row was deleted.
   */
  async deleteCard(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('prompt_cards')
      .where('id', '=', id)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('runs')
              .select('runs.id')
              .whereRef('runs.prompt_card_id', '=', 'prompt_cards.id')
              // The active statuses (src/runs/run-schema.ts); cards do not import runs.
              .where('runs.status', 'in', ['queued', 'running']),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async countCards(): Promise<number> {
    const row = await this.db
      .selectFrom('prompt_cards')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createTestCase(
    cardId: string,
    input: TestCaseInput,
    now: Date = new Date(),
  ): Promise<TestCase> {
    const id = randomUUID();
    const timestamp = now.toISOString();
    await this.db
      .insertInto('test_cases')
      .values({
        id,
        prompt_card_id: cardId,
        name: input.name,
        input_variables: this.cipher.encrypt(
          JSON.stringify(input.input_variables),
          INPUT_VARIABLES_FIELD,
        ),
        expected_output: this.cipher.encryptNullable(input.expected_output, EXPECTED_OUTPUT_FIELD),
        assertions: this.cipher.encrypt(JSON.stringify(input.assertions), ASSERTIONS_FIELD),
        created_at: timestamp,
        updated_at: timestamp,
      })
      .execute();
    return (await this.getTestCase(id)) as TestCase;
  }

  /**
   * Inserts many test cases in one transaction (all or none), in order, in multi-row
   * statements of 500 rows (8 columns × 500 stays below SQLite's parameter limit); returns
   * their ids in input order. The rows share `now`, so listings order them by id: a caller
   * that needs the input order keeps the returned ids. Each chunk is sealed just before its
   * statement, with a yield to the event loop between chunks: a large import leaves other
   * requests to run while it proceeds, and stays one transaction.
   */
  async insertTestCases(
    cardId: string,
    inputs: readonly TestCaseInput[],
    now: Date = new Date(),
  ): Promise<string[]> {
    const timestamp = now.toISOString();
    const row = (input: TestCaseInput) => ({
      id: randomUUID(),
      prompt_card_id: cardId,
      name: input.name,
      // Sealed like a single insert: a bulk path must not store in clear what one write seals.
      input_variables: this.cipher.encrypt(
        JSON.stringify(input.input_variables),
        INPUT_VARIABLES_FIELD,
      ),
      expected_output: this.cipher.encryptNullable(input.expected_output, EXPECTED_OUTPUT_FIELD),
      assertions: this.cipher.encrypt(JSON.stringify(input.assertions), ASSERTIONS_FIELD),
      created_at: timestamp,
      updated_at: timestamp,
    });
    const ids: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      ids.length = 0;
      for (let start = 0; start < inputs.length; start += YIELD_EVERY_ROWS) {
        if (start > 0) await yieldToLoop();
        const chunk = inputs.slice(start, start + YIELD_EVERY_ROWS).map(row);
        await trx.insertInto('test_cases').values(chunk).execute();
        ids.push(...chunk.map((r) => r.id));
      }
    });
    return ids;
  }

  /**
   * Makes the card's test cases exactly `inputs` (names unique), matched by name, in one
   * transaction: changed ones are updated, new ones created, the others deleted.
   */
  async syncTestCases(
    cardId: string,
    inputs: readonly TestCaseInput[],
    now: Date = new Date(),
  ): Promise<SyncOutcome> {
    const timestamp = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('test_cases')
        .selectAll()
        .where('prompt_card_id', '=', cardId)
        .execute();
      const byName = new Map(existing.map((row) => [row.name, row]));
      const counts = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
      const updatedIds: string[] = [];
      const fresh = [];
      for (const [index, input] of inputs.entries()) {
        if (index > 0 && index % YIELD_EVERY_ROWS === 0) await yieldToLoop();
        const row = byName.get(input.name);
        byName.delete(input.name);
        const plain = {
          input_variables: JSON.stringify(input.input_variables),
          expected_output: input.expected_output,
          assertions: JSON.stringify(input.assertions),
        };
        // Stored sealed, like a single write; compared in clear (sealing is not deterministic).
        const fields = {
          input_variables: this.cipher.encrypt(plain.input_variables, INPUT_VARIABLES_FIELD),
          expected_output: this.cipher.encryptNullable(
            plain.expected_output,
            EXPECTED_OUTPUT_FIELD,
          ),
          assertions: this.cipher.encrypt(plain.assertions, ASSERTIONS_FIELD),
        };
        if (row === undefined) {
          fresh.push({
            id: randomUUID(),
            prompt_card_id: cardId,
            name: input.name,
            ...fields,
            created_at: timestamp,
            updated_at: timestamp,
          });
          counts.created++;
        } else if (
          this.cipher.decrypt(row.input_variables, INPUT_VARIABLES_FIELD) ===
            plain.input_variables &&
          this.cipher.decryptNullable(row.expected_output, EXPECTED_OUTPUT_FIELD) ===
            plain.expected_output &&
          this.cipher.decrypt(row.assertions, ASSERTIONS_FIELD) === plain.assertions
        ) {
          counts.unchanged++;
        } else {
          await trx
            .updateTable('test_cases')
            .set({ ...fields, updated_at: timestamp })
            .where('id', '=', row.id)
            .execute();
          counts.updated++;
          updatedIds.push(row.id);
        }
      }
      for (let start = 0; start < fresh.length; start += 500)
        await trx
          .insertInto('test_cases')
          .values(fresh.slice(start, start + 500))
          .execute();
      const staleRows = [...byName.values()];
      const stale = staleRows.map((row) => row.id);
      for (let start = 0; start < stale.length; start += 500)
        await trx
          .deleteFrom('test_cases')
          .where('id', 'in', stale.slice(start, start + 500))
          .execute();
      counts.deleted = stale.length;
      return {
        counts,
        created: fresh.map((row) => row.id),
        updated: updatedIds,
        deleted: staleRows.map(this.toTestCase),
      };
    });
  }

  async getTestCase(id: string): Promise<TestCase | undefined> {
    const row = await this.db
      .selectFrom('test_cases')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toTestCase(row);
  }

  async listTestCases(
    cardId: string,
    page: { limit: number; offset: number; after?: readonly (string | number)[] | undefined },
  ): Promise<Page<TestCase>> {
    const base = this.db.selectFrom('test_cases').where('prompt_card_id', '=', cardId);
    const countRow = await base
      .select((eb) => eb.fn.countAll().as('total'))
      .executeTakeFirstOrThrow();
    const keyed =
      page.after === undefined
        ? base
        : base.where(keyAfter(['created_at', 'id'], page.after, 'asc'));
    const rows = await keyed
      .selectAll()
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const items = rows.map(this.toTestCase);
    return {
      items,
      total: Number(countRow.total),
      limit: page.limit,
      offset: page.offset,
      next: nextCursor('test-cases', items, page.limit, (t) => [t.created_at, t.id]),
    };
  }

  /** The ids of a card's test cases, in creation order (a run fixes its set with them). */
  async testCaseIds(cardId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('test_cases')
      .select('id')
      .where('prompt_card_id', '=', cardId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map((r) => r.id);
  }

  /** The card's test cases among `ids` (at most a few hundred: one parameter each), any order. */
  async testCasesByIds(cardId: string, ids: readonly string[]): Promise<TestCase[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('test_cases')
      .selectAll()
      .where('prompt_card_id', '=', cardId)
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(this.toTestCase);
  }

  /** Every test case of a card, in creation order (for runs and template checks). */
  async allTestCases(cardId: string): Promise<TestCase[]> {
    const rows = await this.db
      .selectFrom('test_cases')
      .selectAll()
      .where('prompt_card_id', '=', cardId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(this.toTestCase);
  }

  async updateTestCase(
    id: string,
    input: TestCaseInput,
    now: Date = new Date(),
  ): Promise<TestCase | undefined> {
    const result = await this.db
      .updateTable('test_cases')
      .set({
        name: input.name,
        input_variables: this.cipher.encrypt(
          JSON.stringify(input.input_variables),
          INPUT_VARIABLES_FIELD,
        ),
        expected_output: this.cipher.encryptNullable(input.expected_output, EXPECTED_OUTPUT_FIELD),
        assertions: this.cipher.encrypt(JSON.stringify(input.assertions), ASSERTIONS_FIELD),
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 0 ? undefined : this.getTestCase(id);
  }

  async deleteTestCase(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('test_cases').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
