/**
 * The UI's routes live in the URL fragment (`#/cards/ID`), so the server serves one page at `/`
 * and a reload lands on the same view.
 */
export type Route =
  | { page: 'cards' }
  | { page: 'card'; cardId: string }
  | { page: 'production'; cardId: string }
  | { page: 'run'; runId: string }
  | { page: 'compare'; base: string; head: string }
  | { page: 'operate' }
  | { page: 'analytics' };

/** Any hash gives a route: a malformed one (`#/runs/%ZZ`, a URIError) is the cards list. */
export function parseRoute(hash: string): Route {
  let parts: string[];
  try {
    parts = hash
      .replace(/^#\/?/, '')
      .split('?')[0]
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
  } catch {
    return { page: 'cards' };
  }
  const [first, second, third] = parts;
  if (first === 'cards' && second !== undefined && third === 'production')
    return { page: 'production', cardId: second };
  if (first === 'cards' && second !== undefined) return { page: 'card', cardId: second };
  if (first === 'runs' && second !== undefined) return { page: 'run', runId: second };
  if (first === 'compare' && second !== undefined && third !== undefined)
    return { page: 'compare', base: second, head: third };
  if (first === 'operate') return { page: 'operate' };
  if (first === 'analytics') return { page: 'analytics' };
  return { page: 'cards' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'cards':
      return '#/';
    case 'card':
      return `#/cards/${encodeURIComponent(route.cardId)}`;
    case 'production':
      return `#/cards/${encodeURIComponent(route.cardId)}/production`;
    case 'run':
      return `#/runs/${encodeURIComponent(route.runId)}`;
    case 'compare':
      return `#/compare/${encodeURIComponent(route.base)}/${encodeURIComponent(route.head)}`;
    case 'operate':
      return '#/operate';
    case 'analytics':
      return '#/analytics';
  }
}
