/**
 * Lists the routes an Express router serves, descending into routers mounted without a path.
 * The access tests compare it with their table of expected statuses, so a route added without
 * a row there fails a test instead of escaping review.
 */
import type { Router } from 'express';

export interface RouteEntry {
  readonly method: string;
  /** The route template with its mount path: `/api/prompt-cards/:id`. */
  readonly path: string;
}

interface StackLayer {
  readonly route?: {
    readonly path: string | readonly string[];
    readonly stack: readonly { method?: string }[];
  };
  readonly handle: unknown;
}

function isRouter(handle: unknown): handle is { stack: readonly StackLayer[] } {
  return typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack);
}

/**
 * Every (method, path) of `router`, prefixed with `mount`. `mounted` maps routers that are
 * mounted under a path (such as the /api router inside the app) to that path.
 */
export function routeTable(
  router: Router,
  mount = '',
  mounted: ReadonlyMap<unknown, string> = new Map(),
): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const layer of router.stack as unknown as readonly StackLayer[]) {
    if (layer.route !== undefined) {
      const methods = new Set(
        layer.route.stack.flatMap((l) => (l.method === undefined ? [] : [l.method.toUpperCase()])),
      );
      const paths = typeof layer.route.path === 'string' ? [layer.route.path] : layer.route.path;
      for (const method of methods) {
        for (const path of paths) entries.push({ method, path: mount + path });
      }
    } else if (isRouter(layer.handle)) {
      const sub = mounted.get(layer.handle);
      entries.push(...routeTable(layer.handle as unknown as Router, mount + (sub ?? ''), mounted));
    }
  }
  return entries;
}

/**
 * A resolver from (method, path) to the first entry of `entries` (registration order, as the
 * router matches) whose template the path fits: `:name` takes one non-empty segment, other
 * segments must be equal. HEAD reaches GET routes. Undefined when no entry fits.
 */
export function routeMatcher(
  entries: readonly RouteEntry[],
): (method: string, path: string) => string | undefined {
  const compiled = entries.map((entry) => ({
    method: entry.method,
    path: entry.path,
    segments: entry.path.split('/'),
  }));
  return (method, path) => {
    const wanted = path.split('/');
    const methods = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
    const found = compiled.find(
      (entry) =>
        methods.includes(entry.method) &&
        entry.segments.length === wanted.length &&
        entry.segments.every((segment, i) =>
          segment.startsWith(':') ? (wanted[i] ?? '') !== '' : segment === wanted[i],
        ),
    );
    return found?.path;
  };
}
