/**
 * View state kept in the URL fragment's query (`#/runs/ID?view=matrix&show=different&result=R`),
 * so a reload lands on the same view and a link shares it. Parsing is pure; `writeHashParams`
 * replaces the history entry (a filter change is not a page to go back to).
 */

/** The query part of a fragment as URLSearchParams (empty when it has none). */
export function hashParams(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : hash.slice(at + 1));
}

/**
 * The fragment with `changes` applied to its query: a value equal to its default (`''` or the
 * one given in `defaults`) is dropped, so a URL only carries what differs from the plain view.
 */
export function withHashParams(
  hash: string,
  changes: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>> = {},
): string {
  const at = hash.indexOf('?');
  const path = at === -1 ? hash : hash.slice(0, at);
  const params = hashParams(hash);
  for (const [key, value] of Object.entries(changes)) {
    if (value === '' || value === defaults[key]) params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

/** Writes `changes` into the current URL without a new history entry or a hashchange. */
export function writeHashParams(
  changes: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>> = {},
): void {
  const next = withHashParams(window.location.hash, changes, defaults);
  if (next === window.location.hash) return;
  const url = `${window.location.pathname}${window.location.search}${next === '' ? '' : next}`;
  window.history.replaceState(window.history.state, '', url);
}

/** One of `allowed`, else `fallback`: a hand-edited URL cannot put the view in a state it lacks. */
export function oneOf<T extends string>(
  value: string | null,
  allowed: readonly T[],
  fallback: T,
): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
