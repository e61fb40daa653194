/**
 * The rules of prompt cards and test cases, between the routes and the store:
 * - every template variable must be given by each test case (422 naming the missing ones);
 * - a template change may not leave an existing test case without a value (409 naming them);
 * - a card with a queued or running run cannot be deleted (409).
 */
import { AppError } from '../errors.js';
import type {
  Card,
  CardInput,
  CardListQuery,
  Page,
  TestCase,
  TestCaseInput,
} from './card-schema.js';
import type { CardStore, SyncOutcome } from './card-store.js';
import { missingVariables, unusedVariables } from './template.js';
import { UNUSED_VARIABLE } from './test-case-import.js';
import { parseImport, type ImportFormat } from './test-case-import.js';

/** What the cards module needs to know about runs, without depending on the runs module. */
export interface ActiveRunGuard {
  hasActiveRun(cardId: string): Promise<boolean>;
}

export class CardService {
  constructor(
    private readonly store: CardStore,
    private readonly runs: ActiveRunGuard,
  ) {}

  createCard(input: CardInput): Promise<Card> {
    return this.store.createCard(input);
  }

  listCards(query: CardListQuery): Promise<Page<Card>> {
    return this.store.listCards(query);
  }

  async getCard(id: string): Promise<Card> {
    const card = await this.store.getCard(id);
    if (card === undefined) throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    return card;
  }

  async updateCard(id: string, input: CardInput): Promise<Card> {
    await this.getCard(id);
    const broken = (await this.store.allTestCases(id))
      .map((testCase) => ({
        testCase,
        missing: missingVariables(input.prompt_template, testCase.input_variables),
      }))
      .filter(({ missing }) => missing.length > 0);
    if (broken.length > 0) {
      throw new AppError(
        'PCS_ERR_CARD_TEMPLATE_BREAKS_TEST_CASES',
        `The new template needs variables that ${broken.length} test case(s) do not give; add them to the test cases first`,
        broken.map(({ testCase, missing }) => ({
          field: `test_cases.${testCase.id}`,
          message: `missing ${missing.join(', ')}`,
        })),
      );
    }
    const card = await this.store.updateCard(id, input);
    if (card === undefined) throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    return card;
  }

  async deleteCard(id: string): Promise<void> {
    await this.getCard(id);
    if (await this.runs.hasActiveRun(id)) throw new AppError('PCS_ERR_CARD_HAS_ACTIVE_RUN');
    // The store deletes only a card without an active run: one created since the check wins.
    if (!(await this.store.deleteCard(id))) {
      if (await this.runs.hasActiveRun(id)) throw new AppError('PCS_ERR_CARD_HAS_ACTIVE_RUN');
      throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    }
  }

  async createTestCase(cardId: string, input: TestCaseInput): Promise<TestCase> {
    const card = await this.getCard(cardId);
    this.requireVariables(card, input);
    return this.store.createTestCase(cardId, input);
  }

  /**
   * Imports every row or none (one transaction); 422 naming each bad row and field.
   * Returns the ids of the imported test cases.
   */
  async importTestCases(
    cardId: string,
    format: ImportFormat,
    text: string,
  ): Promise<readonly string[]> {
    const card = await this.getCard(cardId);
    const outcome = await parseImport(format, text, card.prompt_template);
    if (!outcome.ok) {
      throw new AppError(
        'PCS_ERR_VALIDATION_FAILED',
        `The import has invalid rows: ${outcome.problems.length} problem(s)${outcome.problems.length >= 100 ? ' (the first 100)' : ''}`,
        outcome.problems,
      );
    }
    return this.store.insertTestCases(cardId, outcome.inputs);
  }

  /**
   * Makes the card's test cases exactly these rows, matched by name: one transaction, all or
   * nothing; 422 for bad rows or repeated names.
   */
  async syncTestCases(cardId: string, format: ImportFormat, text: string): Promise<SyncOutcome> {
    const card = await this.getCard(cardId);
    const outcome = await parseImport(format, text, card.prompt_template);
    if (!outcome.ok) {
      throw new AppError(
        'PCS_ERR_VALIDATION_FAILED',
        'The import has invalid rows',
        outcome.problems,
      );
    }
    const seen = new Map<string, number>();
    const repeated: { field: string; message: string }[] = [];
    outcome.inputs.forEach((input, i) => {
      const first = seen.get(input.name);
      if (first !== undefined)
        repeated.push({ field: `rows.${i + 1}.name`, message: `repeats the name of row ${first}` });
      else seen.set(input.name, i + 1);
    });
    if (repeated.length > 0)
      throw new AppError(
        'PCS_ERR_VALIDATION_FAILED',
        'Test case names must be unique to sync',
        repeated,
      );
    return this.store.syncTestCases(cardId, outcome.inputs);
  }

  async listTestCases(
    cardId: string,
    page: { limit: number; offset: number; after?: readonly (string | number)[] | undefined },
  ): Promise<Page<TestCase>> {
    await this.getCard(cardId);
    return this.store.listTestCases(cardId, page);
  }

  async getTestCase(id: string): Promise<TestCase> {
    const testCase = await this.store.getTestCase(id);
    if (testCase === undefined) throw new AppError('PCS_ERR_TEST_CASE_NOT_FOUND');
    return testCase;
  }

  async updateTestCase(id: string, input: TestCaseInput): Promise<TestCase> {
    const existing = await this.getTestCase(id);
    this.requireVariables(await this.getCard(existing.prompt_card_id), input);
    const updated = await this.store.updateTestCase(id, input);
    if (updated === undefined) throw new AppError('PCS_ERR_TEST_CASE_NOT_FOUND');
    return updated;
  }

  async deleteTestCase(id: string): Promise<void> {
    if (!(await this.store.deleteTestCase(id))) throw new AppError('PCS_ERR_TEST_CASE_NOT_FOUND');
  }

  /**
   * A test case gives exactly the template's variables: a missing one is
   * `PCS_ERR_TEST_CASE_MISSING_VARIABLES`, one the template does not use (a typo that would
   * otherwise go unnoticed) is 422 `PCS_ERR_VALIDATION_FAILED` naming `input_variables.<name>`.
   */
  private requireVariables(card: Card, input: TestCaseInput): void {
    const missing = missingVariables(card.prompt_template, input.input_variables);
    if (missing.length > 0) {
      throw new AppError(
        'PCS_ERR_TEST_CASE_MISSING_VARIABLES',
        `Missing template variables: ${missing.join(', ')}`,
        missing.map((name) => ({
          field: `input_variables.${name}`,
          message: 'is required by the template',
        })),
      );
    }
    const unused = unusedVariables(card.prompt_template, input.input_variables);
    if (unused.length > 0) {
      throw new AppError(
        'PCS_ERR_VALIDATION_FAILED',
        `The template does not use: ${unused.join(', ')}`,
        unused.map((name) => ({ field: `input_variables.${name}`, message: UNUSED_VARIABLE })),
      );
    }
  }
}
