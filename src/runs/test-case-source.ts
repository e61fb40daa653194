/**
 * The test cases a run needs, loaded in two steps so the first model calls do not wait for a
 * large card: the cases of the first items before the run starts, every other case once the
 * first calls are in flight. A case missing from the card when it is loaded was deleted after
 * the run was created.
 */
import type { CardStore, TestCase } from '../cards/index.js';

export class TestCaseSource {
  private readonly loaded = new Map<string, TestCase>();
  /** Ids whose presence is settled: loaded, or known to be deleted. */
  private readonly settled = new Set<string>();
  private rest: Promise<void> | undefined;
  private allSettled = false;

  constructor(
    private readonly cards: CardStore,
    private readonly cardId: string,
  ) {}

  /** Loads the cases with these ids (a few hundred at most). */
  async loadFirst(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    for (const testCase of await this.cards.testCasesByIds(this.cardId, unique))
      this.loaded.set(testCase.id, testCase);
    for (const id of unique) this.settled.add(id);
  }

  /** Loads every case of the card; later calls share the first load. */
  loadRest(): Promise<void> {
    this.rest ??= this.cards.allTestCases(this.cardId).then((testCases) => {
      for (const testCase of testCases) this.loaded.set(testCase.id, testCase);
      this.allSettled = true;
    });
    return this.rest;
  }

  /** The case, undefined when it was deleted; a promise only while it is still loading. */
  get(id: string): TestCase | undefined | Promise<TestCase | undefined> {
    if (this.allSettled || this.settled.has(id)) return this.loaded.get(id);
    return this.loadRest().then(() => this.loaded.get(id));
  }
}
