/**
 * Runs `work` over `items` with at most `concurrency` in flight, starting them in order (`work`
 * gets each item's position, and is called for position n only after every earlier one was
 * started). `shouldStop` is checked
 * before each item starts: in-flight items are never interrupted here (the caller aborts them
 * through their signal). The first error from `work` stops new items and is re-thrown after
 * the in-flight ones settle.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  shouldStop: () => boolean,
  work: (item: T, position: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !shouldStop() && next < items.length) {
      const position = next++;
      const item = items[position];
      if (item === undefined) break;
      try {
        await work(item, position);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker),
  );
  if (failure !== undefined) throw failure.error;
}
