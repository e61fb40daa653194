/**
 * A fast first reading of a suite file: js-yaml (a single-pass parser, ~20× faster than the
 * `yaml` package's document model on a suite of 1,000 tests), with the scalar rules of the
 * `yaml` package's YAML 1.2 core schema so both give the same values: null, booleans, integers
 * (decimal, `0o` octal, `0x` hex, no `_` separators), floats (`.inf`, `.nan`, exponents) and
 * merge keys (`<<`). Everything else is text.
 *
 * It gives up (returns undefined) whenever the result could differ from the `yaml` package's
 * or an error must be reported: any parse error or warning (duplicate keys included), a
 * directive line (`%YAML 1.1` changes the schema), a tag js-yaml does not know here, a scalar or
 * empty document, a collection reached twice (an alias of a map or list, where the `yaml`
 * package's alias limit applies), a collection that is not in the data (a list or map used as a
 * key, which js-yaml names `a,b` or `[object Object]` where the `yaml` package writes `[ a, b ]`,
 * or an inline merge source), a key named `null` (js-yaml's name for a null key; the `yaml`
 * package's is ``), and a lone CR line break (js-yaml reads it as a line break; the `yaml`
 * package refuses the file). The caller then reads the file with the `yaml` package as
 * before, which reports errors with their lines.
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (text: string) => /^(?:~|[Nn]ull|NULL)?$/.test(text),
  construct: () => null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (text: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text),
  construct: (text: string) => text.startsWith('t') || text.startsWith('T'),
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (text: string) =>
    /^[-+]?[0-9]+$/.test(text) || /^0o[0-7]+$/.test(text) || /^0x[0-9a-fA-F]+$/.test(text),
  construct: (text: string) =>
    text.startsWith('0o')
      ? parseInt(text.slice(2), 8)
      : text.startsWith('0x')
        ? parseInt(text.slice(2), 16)
        : parseInt(text, 10),
});

const NAN_OR_INFINITY = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (text: string) =>
    NAN_OR_INFINITY.test(text) ||
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text) ||
    /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text),
  construct: (text: string) =>
    NAN_OR_INFINITY.test(text)
      ? text.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : text.startsWith('-')
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY
      : parseFloat(text),
});

/** `<<`: js-yaml merges the mappings under a key of this tag. */
const mergeType = new Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (text: string) => text === '<<',
});

/** The `yaml` package's core schema with merge keys, as js-yaml types (first match wins). */
const CORE_WITH_MERGE = FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, mergeType],
});

/**
 * True when some object or array is reached twice (an alias of a collection), when one of the
 * `parsed` collections is not reached (a key or an inline merge source), or a key is `null`.
 */
function unsafeData(root: unknown, parsed: ReadonlySet<object>): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (seen.has(node)) return true;
    seen.add(node);
    if (!Array.isArray(node) && Object.hasOwn(node, 'null')) return true;
    for (const value of Object.values(node))
      if (value !== null && typeof value === 'object') stack.push(value);
  }
  for (const collection of parsed) if (!seen.has(collection)) return true;
  return false;
}

/**
 * The plain data of `text` (a byte-order mark already removed) as the `yaml` package's
 * `parseDocument(text, { merge: true, uniqueKeys: true }).toJS()` gives it, or undefined when
 * the fast reading cannot promise that (see the module comment).
 */
export function fastYamlValue(text: string): object | undefined {
  if (/^%/m.test(text) || /\r(?!\n)/.test(text)) return undefined;
  const parsed = new Set<object>();
  let value: unknown;
  let warned = false;
  try {
    value = load(text, {
      schema: CORE_WITH_MERGE,
      json: false,
      listener: (event, state) => {
        const result = (state as { result?: unknown }).result;
        if (event === 'close' && typeof result === 'object' && result !== null) parsed.add(result);
      },
      onWarning: () => {
        warned = true;
      },
    });
  } catch {
    return undefined;
  }
  if (warned || value === null || typeof value !== 'object') return undefined;
  return unsafeData(value, parsed) ? undefined : value;
}
