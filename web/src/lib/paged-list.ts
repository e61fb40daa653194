/**
 * One list of the API read a keyset page at a time (docs/pagination.md): the first page on
 * `start()`, the next ones on `more()` (the `next` token sent back as `after`), or every page at
 * once on `all()`. Pure apart from the `fetchPage` it is given, so the paging is tested without a
 * browser; `use-paged.ts` and `use-run.ts` bind it to React.
 */

/** One page as the API answers it: `next` is null on the last page. */
export interface KeysetPage<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly next: string | null;
}

/** Reads `path` with the query string's `after` (absent for the first page). */
export type FetchPage<T> = (after: string | undefined) => Promise<KeysetPage<T>>;

export interface PagedState {
  /** Items held. */
  readonly loaded: number;
  /** Items the server has (its `total` of the last page read); null before the first page. */
  readonly total: number | null;
  /** A page is being read. */
  readonly loading: boolean;
  /** Every page has been read (the last `next` was null, or `total` items are held). */
  readonly complete: boolean;
  /** Pages read so far. */
  readonly pages: number;
}

export class PagedList<T> {
  private readonly held: T[] = [];
  private after: string | undefined;
  private total: number | null = null;
  private complete = false;
  private pages = 0;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  /**
   * @param fetchPage reads one page
   * @param onPage called after each page is added (to render), with the items it added
   */
  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly onPage: (added: readonly T[]) => void = () => undefined,
  ) {}

  /** Items held, in the list's order. The same array grows; copy it to memoise on identity. */
  get items(): readonly T[] {
    return this.held;
  }

  state(): PagedState {
    return {
      loaded: this.held.length,
      total: this.total,
      loading: this.inFlight !== undefined,
      complete: this.complete,
      pages: this.pages,
    };
  }

  /**
   * Reads the next page unless every page is read; a call while a page is being read waits for
   * that page instead of asking twice. Rejects with the fetch's error (the list stays as it was,
   * so the call can be repeated).
   */
  more(): Promise<void> {
    if (this.complete || this.stopped) return Promise.resolve();
    this.inFlight ??= this.readPage().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Reads page after page until the last (or until `stop()`). */
  async all(): Promise<void> {
    while (!this.complete && !this.stopped) await this.more();
  }

  /** Reads no further page (the view that asked is gone); a page in flight is dropped. */
  stop(): void {
    this.stopped = true;
  }

  private async readPage(): Promise<void> {
    const page = await this.fetchPage(this.after);
    if (this.stopped) return;
    this.held.push(...page.items);
    this.total = page.total;
    this.pages += 1;
    // The server's `next` is null only after a short page: once `total` is held, the empty
    // page after a full last page is not worth a round trip.
    if (page.next === null || this.held.length >= page.total) this.complete = true;
    else this.after = page.next;
    this.onPage(page.items);
  }
}

/** `path` with `after=<token>` added to its query (URL-encoded), or unchanged without one. */
export function withAfter(path: string, after: string | undefined): string {
  if (after === undefined) return path;
  return `${path}${path.includes('?') ? '&' : '?'}after=${encodeURIComponent(after)}`;
}
