/**
 * Prompt versions: every template a card has had, numbered from 1 in the order they were
 * written. `append` runs inside the transaction that writes the card, so a card and its
 * latest version never disagree. `author` is the hook for an authenticated identity.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
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
      prompt_template: template,
      variables: JSON.stringify(extractVariables(template)),
      author,
      created_at: timestamp,
    })
    .execute();
  return version;
}

export class CardVersionStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Newest first. */
  async list(cardId: string): Promise<PromptVersion[]> {
    const rows = await this.db
      .selectFrom('prompt_card_versions')
      .selectAll()
      .where('card_id', '=', cardId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({
      version: Number(r.version),
      prompt_template: r.prompt_template,
      variables: JSON.parse(r.variables) as string[],
      author: r.author,
      created_at: r.created_at,
    }));
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
          prompt_template: r.prompt_template,
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
