/**
 * Keyset page cursors: a list answers `next`, an opaque token holding the sort key of its last
 * item (base64url of a JSON array, e.g. `["2026-12-07T02:00:00.000Z","<id>"]`) and a signature,
 * and the client sends it back as `after` to read the following page. Reading page n costs what
 * page 1 costs (an index range scan), where `offset` costs n × limit rows.
 *
 * Token: `<payload>.<mac>`, mac = the first 16 bytes of HMAC-SHA256(key, list + "\n" + payload)
 * in base64url. The list's name is signed with the key, so a token of one list is refused by
 * another. A token that is not one this API issued (bad signature, not base64url JSON, wrong
 * arity or kinds) fails validation: a 422 naming `after`. The key is set once per process by
 * setPageCursorKey (docs/pagination.md says where it comes from).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { queryInteger } from './query-number.js';

export type CursorKey = readonly (string | number)[];

type Kind = 'string' | 'number';

/** The lists that page by key; each signs its tokens under its own name. */
export type CursorList =
  | 'cards'
  | 'test-cases'
  | 'runs'
  | 'results'
  | 'versions'
  | 'alert-history'
  | 'audit'
  | 'online-evaluations';

/** Without a secret: tokens are opaque but not authenticated (anyone reading this can sign). */
const UNAUTHENTICATED_KEY = createHash('sha256').update('pcs page cursor: no secret').digest();
let cursorKey: Buffer = UNAUTHENTICATED_KEY;

/**
 * The signing key of every token this process issues and accepts: PAGE_CURSOR_SECRET if given,
 * else one derived (HMAC-SHA256, label "pcs page cursor") from METRICS_ENCRYPTION_KEY or
 * AUDIT_SECRET, which every replica of one deployment shares; else a public constant.
 */
export function setPageCursorKey(sources: {
  readonly pageCursorSecret?: string | undefined;
  readonly metricsEncryptionKey?: string | undefined;
  readonly auditSecret?: string | undefined;
}): void {
  const { pageCursorSecret, metricsEncryptionKey, auditSecret } = sources;
  const base = pageCursorSecret ?? metricsEncryptionKey ?? auditSecret;
  cursorKey =
    base === undefined || base === ''
      ? UNAUTHENTICATED_KEY
      : createHmac('sha256', base).update('pcs page cursor').digest();
}

function mac(list: CursorList, payload: string): Buffer {
  return createHmac('sha256', cursorKey).update(`${list}\n${payload}`).digest().subarray(0, 16);
}

/** The token of list `list` for the sort key `key` (the last item of a page). */
export function encodeCursor(list: CursorList, key: CursorKey): string {
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${payload}.${mac(list, payload).toString('base64url')}`;
}

function decode(list: CursorList, token: string, kinds: readonly Kind[]): CursorKey | undefined {
  const parts = /^([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{22})$/.exec(token);
  const payload = parts?.[1];
  const signature = parts?.[2];
  if (payload === undefined || signature === undefined) return undefined;
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== 16 || !timingSafeEqual(given, mac(list, payload))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
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
 * The `after` query parameter of list `list` whose sort key has these kinds; parses to the key.
 * Errors: 'is not a page cursor this API issued' (forged, tampered, or another list's).
 */
export function afterSchema(list: CursorList, kinds: readonly Kind[]) {
  return z
    .string()
    .transform((token, ctx) => {
      const key = decode(list, token, kinds);
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
export const offsetSchema = queryInteger(
  z
    .number()
    .int('must be an integer')
    .min(0, 'must be at least 0')
    .max(MAX_OFFSET, `must be at most ${MAX_OFFSET} (read deeper pages with after)`),
)
  .default(0)
  .meta({
    description: `Items to skip (at most ${MAX_OFFSET}); prefer \`after\`, which stays fast at any depth`,
    // Read strictly (query-number.ts); the default is shown in the document by hand.
    override: { default: 0 },
  });

/** `next` for a page: the key of its last item when the page is full, else null (the end). */
export function nextCursor<T>(
  list: CursorList,
  items: readonly T[],
  limit: number,
  keyOf: (item: T) => CursorKey,
): string | null {
  const last = items.at(-1);
  return items.length < limit || last === undefined ? null : encodeCursor(list, keyOf(last));
}
