/**
 * A first-come, first-served lock for asynchronous code: `await lock()` resolves when the
 * previous holder called `unlock()`. Used for SQLite's single write connection.
 */
export class AsyncMutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  unlock(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.held = false;
    else next();
  }
}
