/**
 * The test cases a run needs, read a window at a time in the order the items start: the cases
 * of items [k·W, (k+1)·W) form chunk k, loaded by id (one query); chunk k+1 is loaded as soon as
 * chunk k is first asked for, and every chunk before k is dropped then. Items start in plan
 * order (run-pool.ts hands them out by position), so when an item asks for chunk k, every
 * earlier item already holds its case: memory holds about two windows of cases, not the card
 * (a 100,000-case card no longer stays loaded for the whole run). A case missing from its chunk
 * was deleted after the run was created.
 */
import type { CardStore, TestCase } from '../cards/index.js';

type Chunk = Map<string, TestCase>;

export class TestCaseSource {
  private readonly chunks = new Map<number, Chunk | Promise<Chunk>>();
  /** Chunks below this were dropped. */
  private lowest = 0;

  /**
   * `ids` are the test case ids of the items, in the order they start; `window` items per
   * chunk (at least one).
   */
  constructor(
    private readonly cards: CardStore,
    private readonly cardId: string,
    private readonly ids: readonly string[],
    private readonly window: number,
  ) {}

  /** Loads the first chunk (before the run's first calls); the next follows in the background. */
  async loadFirst(): Promise<void> {
    await this.chunk(0);
  }

  /**
   * The case of the item at `position` (0-based, in start order): undefined when it was
   * deleted; a promise only while its chunk is loading. Rejects if the load fails.
   */
  get(position: number): TestCase | undefined | Promise<TestCase | undefined> {
    const index = Math.floor(position / this.window);
    const id = this.ids[position] ?? '';
    const found = this.chunk(index);
    this.ahead(index);
    return found instanceof Promise ? found.then((c) => c.get(id)) : found.get(id);
  }

  /** Cases held in loaded chunks now (at most two windows' worth while items start in order). */
  heldCases(): number {
    let held = 0;
    for (const chunk of this.chunks.values()) if (!(chunk instanceof Promise)) held += chunk.size;
    return held;
  }

  /** Starts loading chunk `index + 1` and drops every chunk below `index`. */
  private ahead(index: number): void {
    if ((index + 1) * this.window < this.ids.length && !this.chunks.has(index + 1)) {
      // A failure reaches the items that ask for this chunk, which fails the run.
      void Promise.resolve(this.chunk(index + 1)).catch(() => undefined);
    }
    for (; this.lowest < index; this.lowest++) this.chunks.delete(this.lowest);
  }

  private chunk(index: number): Chunk | Promise<Chunk> {
    const known = this.chunks.get(index);
    if (known !== undefined) return known;
    const ids = [...new Set(this.ids.slice(index * this.window, (index + 1) * this.window))];
    const loading = this.cards.testCasesByIds(this.cardId, ids).then((cases) => {
      const chunk: Chunk = new Map(cases.map((c) => [c.id, c]));
      // Kept only while nobody dropped it meanwhile.
      if (this.chunks.get(index) === loading) this.chunks.set(index, chunk);
      return chunk;
    });
    this.chunks.set(index, loading);
    return loading;
  }
}
