/**
 * Keyset page cursors: a list answers `next`, an opaque token holding the sort key of its last
 * item (base64url of a JSON array, e.g. `["2026-12-07T02:00:00.000Z","<id>"]`), and the client
 * sends it back as `after` to read the following page. Reading page n costs what page 1 costs
 * (an index range scan), where `offset` costs n × limit rows. A token that is not one this API
 * issued (not base64url JSON, wrong arity or kinds) fails validation: a 422 naming `after`.
 */
import { z } from 'zod';

export type CursorKey = readonly (string | number)[];

type Kind = 'string' | 'number';

/** The token for the sort key `key` (the last item of a page). */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decode(token: string, kinds: readonly Kind[]): CursorKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(token)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== kinds.length) return undefined;
  const key = value as unknown[];
  const fits = kinds.every((kind, i) =>
    kind === 'number' ? Number.isSafeInteger(key[i]) : typeof key[i] === 'string',
  );
  return fits ? (key as (string | number)[]) : undefined;
}

/**
 * The `after` query parameter of a list whose sort key has these kinds; parses to the key.
 * Errors: 'is not a page cursor this API issued'.
 */
export function afterSchema(kinds: readonly Kind[]) {
  return z
    .string()
    .transform((token, ctx) => {
      const key = decode(token, kinds);
      if (key === undefined)
        ctx.addIssue({ code: 'custom', message: 'is not a page cursor this API issued' });
      return key ?? [];
    })
    .optional()
    .meta({
      description:
        'The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start)',
    });
}

/** Offsets above this are refused: deep pages are read with `after` (keyset), never by OFFSET. */
export const MAX_OFFSET = 10_000;

/** The `offset` query parameter, bounded by MAX_OFFSET (documented); 0 when `after` is given. */
export const offsetSchema = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be at least 0')
  .max(MAX_OFFSET, `must be at most ${MAX_OFFSET} (read deeper pages with after)`)
  .default(0)
  .meta({
    description: `Items to skip (at most ${MAX_OFFSET}); prefer \`after\`, which stays fast at any depth`,
  });

/** `next` for a page: the key of its last item when the page is full, else null (the end). */
export function nextCursor<T>(
  items: readonly T[],
  limit: number,
  keyOf: (item: T) => CursorKey,
): string | null {
  const last = items.at(-1);
  return items.length < limit || last === undefined ? null : encodeCursor(keyOf(last));
}
