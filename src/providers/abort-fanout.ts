/**
 * Follows a shared signal's abort for many short-lived callers at O(1) each. Node's
 * EventTarget checks every listener already on a signal when one is added or removed, so
 * 200 model calls in flight on one run's signal made each call's add and remove walk the
 * other 199 (bench/model-call-cost). Here the shared signal gets one listener, the first time
 * it is followed, that calls every current follower, in the order they began following.
 */
type Follower = () => void;

const followers = new WeakMap<AbortSignal, Set<Follower>>();

/**
 * Calls `onAbort` once when `signal` aborts (not if it already has: check `signal.aborted`
 * first); the returned function stops following and must be called when the caller is done.
 */
export function followAbort(signal: AbortSignal, onAbort: Follower): () => void {
  let current = followers.get(signal);
  if (current === undefined) {
    const created = new Set<Follower>();
    current = created;
    followers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        const waiting = [...created];
        created.clear();
        for (const follower of waiting) follower();
      },
      { once: true },
    );
  }
  const set = current;
  set.add(onAbort);
  return () => {
    set.delete(onAbort);
  };
}
