/**
 * Numbers in query strings and paths, read strictly: plain decimal digits only. `z.coerce`
 * reads with `Number()`, which also takes `0x10`, `1e2`, `0b11`, ` 25 `, `25.` and `''` (as 0):
 * `?limit=0x10` was a page of 16. Each parameter's problems name it, in the catalog's words.
 *
 * - `queryInteger(number)`: `-?[0-9]+`, then `number` (a `z.number()` with its bounds).
 * - `queryDecimal(number)`: `-?[0-9]+(.[0-9]+)?` or `.[0-9]+`, then `number`.
 *
 * Both accept a number as it is (a default, or a caller that already has one).
 */
import { z } from 'zod';

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;

function strictNumber<T extends z.ZodNumber>(pattern: RegExp, message: string, number: T) {
  // A preprocess (not a union): the OpenAPI document shows the parameter as `number` says.
  return z.preprocess((value, ctx) => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && pattern.test(value)) return Number(value);
    ctx.addIssue({ code: 'custom', message, input: value });
    return z.NEVER;
  }, number);
}

/** A decimal integer (digits, optional leading `-`), then checked by `number`. */
export function queryInteger<T extends z.ZodNumber>(number: T, message = 'must be an integer') {
  return strictNumber(INTEGER, message, number);
}

/** A decimal number (digits with an optional fraction, no exponent), then checked by `number`. */
export function queryDecimal<T extends z.ZodNumber>(
  number: T,
  message = 'must be a decimal number',
) {
  return strictNumber(DECIMAL, message, number);
}
