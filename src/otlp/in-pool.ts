/**
 * Runs `work` over `items` in order, at most `limit` at a time (a limit below 1 counts as 1);
 * resolves when every item is done, rejects with the first failure (the lanes already running
 * finish their current item). The online evaluator's per-rule judge concurrency.
 */
export async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}
