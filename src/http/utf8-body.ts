import { isUtf8 } from 'node:buffer';

/**
 * body-parser `verify` hook: a text body (JSON, JSONL, CSV) must be valid UTF-8 (RFC 8259 §8.1);
 * the decoder would otherwise turn each bad byte into U+FFFD and store it. Throws an error of
 * type `entity.utf8.invalid`, answered 400 `PCS_ERR_HTTP_MALFORMED_JSON` naming `body`.
 */
export function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body))
    throw Object.assign(new Error('The request body is not valid UTF-8'), {
      type: 'entity.utf8.invalid',
    });
}
