/**
 * Prompt versions: every template a card has had, numbered from 1 in the order they were
 * written. `append` runs inside the transaction that writes the card, so a card and its
 * latest version never disagree. `author` is the hook for an authenticated identity.
 */
import type { Kysely } from 'kysely';
import { PLAINTEXT, type Database, type FieldCipher } from '../db/index.js';
import { extractVariables } from './template.js';

export interface PromptVersion {
  readonly version: number;
  readonly prompt_template: string;
  readonly variables: string[];
  readonly author: string | null;
  readonly created_at: string;
}

export async function appendVersion(
  trx: Kysely<Database>,
  cardId: string,
  template: string,
  author: string | null,
  timestamp: string,
  cipher: FieldCipher = PLAINTEXT,
): Promise<number> {
  const row = await trx
    .selectFrom('prompt_card_versions')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('card_id', '=', cardId)
    .executeTakeFirst();
  const version = Number(row?.latest ?? 0) + 1;
  await trx
    .insertInto('prompt_card_versions')
    .values({
      card_id: cardId,
      version,
      prompt_template: cipher.encrypt(template, FIELD),
      variables: JSON.stringify(extractVariables(template)),
      author,
      created_at: timestamp,
    })
    .execute();
  return version;
}

/** Templates are customer text: encrypted at rest like the card's own (METRICS_ENCRYPTION_KEY). */
const FIELD = 'prompt_card_versions.prompt_template';

export class CardVersionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: FieldCipher = PLAINTEXT,
  ) {}

  /**
   * Newest first: at most `limit` versions below `before` (keyset on the primary key
   * (card_id, version)); all of them without a page.
   */
  async list(cardId: string, page?: { limit: number; before?: number }): Promise<PromptVersion[]> {
    let query = this.db
      .selectFrom('prompt_card_versions')
      .selectAll()
      .where('card_id', '=', cardId);
    if (page?.before !== undefined) query = query.where('version', '<', page.before);
    const ordered = query.orderBy('version', 'desc');
    const rows = await (page === undefined ? ordered : ordered.limit(page.limit)).execute();
    return rows.map((r) => ({
      version: Number(r.version),
      prompt_template: this.cipher.decrypt(r.prompt_template, FIELD),
      variables: JSON.parse(r.variables) as string[],
      author: r.author,
      created_at: r.created_at,
    }));
  }

  /** How many versions the card has. */
  async count(cardId: string): Promise<number> {
    const row = await this.db
      .selectFrom('prompt_card_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('card_id', '=', cardId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async get(cardId: string, version: number): Promise<PromptVersion | undefined> {
    const r = await this.db
      .selectFrom('prompt_card_versions')
      .selectAll()
      .where('card_id', '=', cardId)
      .where('version', '=', version)
      .executeTakeFirst();
    return r === undefined
      ? undefined
      : {
          version: Number(r.version),
          prompt_template: this.cipher.decrypt(r.prompt_template, FIELD),
          variables: JSON.parse(r.variables) as string[],
          author: r.author,
          created_at: r.created_at,
        };
  }

  /** The latest version number, or undefined for a card without versions. */
  async latest(cardId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('prompt_card_versions')
      .select((eb) => eb.fn.max('version').as('latest'))
      .where('card_id', '=', cardId)
      .executeTakeFirst();
    return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
  }
}
