/**
 * A card `Say {{word}}` with `count` test cases (`case i`, word `w<i>`), each with `assertions`,
 * written straight through the card store: the set-up the run-engine suites share.
 * Answers the card's id.
 */
import { cardInputSchema, type CardStore } from '../../src/cards/index.js';
import type { TestCaseInput } from '../../src/cards/index.js';

export async function createWordCard(
  cards: CardStore,
  title: string,
  count: number,
  assertions: TestCaseInput['assertions'],
): Promise<string> {
  const card = await cards.createCard(
    cardInputSchema.parse({ title, prompt_template: 'Say {{word}}' }),
  );
  for (let i = 0; i < count; i++)
    await cards.createTestCase(card.id, {
      name: `case ${i}`,
      input_variables: { word: `w${i}` },
      expected_output: null,
      assertions,
    });
  return card.id;
}
