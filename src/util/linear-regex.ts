/**
 * User-supplied regular expressions run on RE2 semantics (re2js, a pure-JavaScript port of
 * RE2): matching takes time linear in the input, whatever the pattern, so a pattern such as
 * `^(a+)+$` cannot stall the event loop with catastrophic backtracking. The price is RE2's
 * syntax: no backreferences (`\1`) and no lookaround (`(?=…)`, `(?<!…)`); flags are written
 * inline (`(?i)`, `(?s)`, `(?m)`). A pattern RE2 cannot run is rejected when it is written.
 */
import type { CodeOptions } from 'ajv';
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS>();
const MAX_CACHED = 1000;

/** Compiles `source` with RE2 semantics; throws an Error that says why it cannot. */
export function compileLinear(source: string, flags = 0): RE2JS {
  const key = `${flags}:${source}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(source, flags);
    } catch (error) {
      throw new Error(error instanceof Error ? error.message : String(error), { cause: error });
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

/** Why `source` cannot run on the linear-time engine, or undefined when it can. */
export function linearRegexProblem(source: string): string | undefined {
  try {
    compileLinear(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether `text` contains a match of `source` (like `RegExp.prototype.test`), in linear time. */
export function testLinear(source: string, text: string): boolean {
  return compileLinear(source).matcher(text).find();
}

/**
 * The same engine for Ajv's `pattern` and `patternProperties` keywords (Ajv's `code.regExp`
 * option). Ajv compiles patterns when it compiles a schema, so an unsupported one fails there.
 * The `u` flag Ajv passes is RE2's behaviour anyway (it matches code points).
 */
export const linearRegExpEngine: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string) => {
    const compiled = compileLinear(pattern);
    return { test: (text: string) => compiled.matcher(text).find() };
  },
  { code: 'linearRegExpEngine' },
);
