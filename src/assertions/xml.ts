/**
 * promptfoo's `is-xml` and `contains-xml` (fast-xml-parser).
 * - `is-xml`: the whole output is one well-formed XML document (strict: one root element,
 *   quoted attribute values, matching tags).
 * - `contains-xml`: some element of the output, or a run of sibling elements, parses as XML
 *   (see xml-candidates.ts for where it looks).
 * The value names required elements by dotted path from the root, e.g. `analysis.summary`
 * (a list index may be a step: `items.item.1`): a list, one comma-separated text, or
 * `{requiredElements: [...]}`. All must be present in the same document for a pass.
 * The parser is loaded on the first XML assertion.
 */
import { z } from 'zod';
import { binary, defineAssertion, type AssertionOutcome } from './assertion.js';
import { xmlCandidates } from './xml-candidates.js';

const elements = z.array(z.union([z.string(), z.number()]).transform(String), {
  error: 'must be a list of element paths',
});

const xmlValue = z
  .union(
    [
      z.null(),
      z.undefined(),
      z.string().transform((v) => v.split(',').map((e) => e.trim())),
      elements,
      z.strictObject({ requiredElements: elements }),
      z.strictObject({}),
    ],
    { error: 'must be element paths: a list, a comma-separated text or {requiredElements}' },
  )
  .transform((v): string[] =>
    v === null || v === undefined ? [] : Array.isArray(v) ? v : (v.requiredElements ?? []),
  );

/** A DOCTYPE with an internal subset (`<!DOCTYPE x [ … ]>`), where entities are defined. */
const INTERNAL_SUBSET = /<!DOCTYPE[^>[]*\[/i;

type Fxp = typeof import('fast-xml-parser');
let fxp: Promise<Fxp> | undefined;
const loadFxp = (): Promise<Fxp> => (fxp ??= import('fast-xml-parser'));

function hasPath(parsed: unknown, path: readonly string[]): boolean {
  let current = parsed;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return false;
    if (Array.isArray(current)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || String(index) !== key) return false;
      current = current[index] as unknown;
    } else current = (current as Record<string, unknown>)[key];
    if (current === undefined) return false;
  }
  return true;
}

/** Parses one candidate and checks the required paths; `wellFormed` false when it cannot parse. */
function check(lib: Fxp, xml: string, required: readonly string[]) {
  const parser = new lib.XMLParser({
    allowBooleanAttributes: true,
    ignoreAttributes: false,
    parseAttributeValue: true,
    parseTagValue: true,
  });
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, wellFormed: false, reason: `XML parsing failed: ${why}` };
  }
  const missing = required.filter((e) => !hasPath(parsed, e.split('.')));
  return missing.length > 0
    ? {
        ok: false,
        wellFormed: true,
        reason: `XML is missing required elements: ${missing.join(', ')}`,
      }
    : { ok: true, wellFormed: true, reason: 'XML is valid and contains all required elements' };
}

/** Top-level elements of a validated document (declarations, comments and text excluded). */
function rootElements(lib: Fxp, xml: string): number {
  const nodes = new lib.XMLParser({ preserveOrder: true }).parse(xml) as Record<string, unknown>[];
  return nodes.filter((node) =>
    Object.keys(node).some((key) => !key.startsWith('?') && !key.startsWith('#') && key !== ':@'),
  ).length;
}

async function isXmlOutcome(output: string, required: string[]): Promise<AssertionOutcome> {
  // As promptfoo: entity definitions in the document are refused, not expanded.
  if (INTERNAL_SUBSET.test(output))
    return binary(false, 'DTD internal subsets are not supported by is-xml validation');
  const lib = await loadFxp();
  const valid = lib.XMLValidator.validate(output);
  if (valid !== true)
    return binary(
      false,
      `XML parsing failed: ${valid.err.msg} (line ${valid.err.line}${valid.err.col > 0 ? `, column ${valid.err.col}` : ''})`,
    );
  const roots = rootElements(lib, output);
  if (roots !== 1)
    return binary(false, `XML parsing failed: a document has one root element, found ${roots}`);
  const result = check(lib, output, required);
  return binary(result.ok, result.reason);
}

async function containsXmlOutcome(output: string, required: string[]): Promise<AssertionOutcome> {
  const spans = xmlCandidates(output);
  if (spans.length === 0) return binary(false, 'No XML content found in the output');
  const lib = await loadFxp();
  const covered: { start: number; end: number }[] = [];
  let reason = '';
  for (const span of spans) {
    if (covered.some((c) => span.start >= c.start && span.end <= c.end)) continue;
    const result = check(lib, output.slice(span.start, span.end), required);
    if (result.ok) return binary(true, result.reason);
    if (result.wellFormed) covered.push(span);
    reason ||= result.reason;
  }
  return binary(false, `No valid XML content found matching the requirements (${reason})`);
}

export const isXml = defineAssertion({
  type: 'is-xml',
  description: 'Output is a well-formed XML document, with the required elements when given',
  valueSchema: xmlValue,
  evaluate: (required, _threshold, { output }) => isXmlOutcome(output, required),
});

export const containsXml = defineAssertion({
  type: 'contains-xml',
  description:
    'Output contains well-formed XML (text around it allowed), with the required elements',
  valueSchema: xmlValue,
  evaluate: (required, _threshold, { output }) => containsXmlOutcome(output, required),
});
