/**
 * The online evaluation store on both databases, for the store-level OTLP tests: `openers(name)`
 * lists SQLite (a file in a temporary folder, removed after the file's tests) and PostgreSQL (a
 * schema of its own); `openOnlineStore` migrates one, registers its close, and gives the card
 * store, the evaluation store and helpers for a card and a rule — or the skip reason.
 */
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import { CardStore, type Card } from '../../src/cards/index.js';
import {
  connectDatabase,
  migrateToLatest,
  PLAINTEXT,
  type DatabaseHandle,
} from '../../src/db/index.js';
import { OnlineEvalStore, type OnlineRule } from '../../src/otlp/online-eval-store.js';
import { postgresSchemaDatabase } from './postgres-schema.js';
import { tempDir } from './temp-dir.js';

export type Opener = () => Promise<DatabaseHandle | string>;

/** [label, opener] for SQLite (`<name>.db`) and PostgreSQL. */
export function openers(name: string): [string, Opener][] {
  const dir = tempDir();
  after(() => dir.remove());
  return [
    ['SQLite', () => connectDatabase(`sqlite:${join(dir.path, `${name}.db`)}`)],
    ['PostgreSQL', postgresSchemaDatabase()],
  ];
}

export interface OnlineStoreFixture {
  readonly database: DatabaseHandle;
  readonly cards: CardStore;
  readonly store: OnlineEvalStore;
  /** A card with template `Hi`. */
  readonly newCard: (title: string) => Promise<Card>;
  /** A rule sampling every span, the card's assertions, no variables. */
  readonly newRule: (cardId: string, judgeConcurrency?: number | null) => Promise<OnlineRule>;
}

/** The migrated database and stores, or the reason to skip (t.skip is called). */
export async function openOnlineStore(
  t: TestContext,
  open: Opener,
): Promise<OnlineStoreFixture | undefined> {
  const database = await open();
  if (typeof database === 'string') {
    t.skip(database);
    return undefined;
  }
  t.after(() => database.close());
  await migrateToLatest(database.db, database.schema);
  const cards = new CardStore(database.db);
  const store = new OnlineEvalStore(database.db, PLAINTEXT);
  return {
    database,
    cards,
    store,
    newCard: (title) =>
      cards.createCard({
        title,
        description: '',
        prompt_template: 'Hi',
        tags: [],
        pass_rate_threshold: null,
      }),
    newRule: (cardId, judgeConcurrency = null) =>
      store.createRule(cardId, {
        service_name: null,
        model: null,
        require_card_attribute: false,
        sample_rate: 1,
        assertions: null,
        variables: {},
        judge_concurrency: judgeConcurrency,
      }),
  };
}
