/**
 * What an execution needs of its run besides the items, read once when it starts (per run with
 * a whole-run lease, per job with a job slice): the run's row, as its lease write or its first
 * read answered it, and the card it renders, with the template of the version the run pinned.
 */
import type { Card, CardStore, CardVersionStore } from '../cards/index.js';
import type { RunRow } from './run-store.js';

export interface RunContext {
  readonly row: RunRow;
  readonly card: Card;
}

/**
 * The card a run renders: its current fields with the template of the version the run pinned
 * when it was created, so a run resumed after an edit renders every item alike. Undefined when
 * the card was deleted.
 */
export async function pinnedCard(
  cards: CardStore,
  versions: CardVersionStore | undefined,
  row: RunRow,
): Promise<Card | undefined> {
  const current = await cards.getCard(row.prompt_card_id);
  if (current === undefined) return undefined;
  const pinned =
    row.prompt_version === null || versions === undefined
      ? undefined
      : await versions.get(row.prompt_card_id, Number(row.prompt_version));
  return pinned === undefined ? current : { ...current, prompt_template: pinned.prompt_template };
}

/** The run's context, or a thrown error (which fails the run) when its card was deleted. */
export async function loadRunContext(
  cards: CardStore,
  versions: CardVersionStore | undefined,
  row: RunRow,
): Promise<RunContext> {
  const card = await pinnedCard(cards, versions, row);
  if (card === undefined) throw new Error('The prompt card was deleted');
  return { row, card };
}
