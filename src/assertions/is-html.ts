/**
 * promptfoo's `is-html`: the output, trimmed, is HTML as a browser parses it (parse5, the
 * WHATWG parser jsdom uses), by promptfoo's rules:
 * - empty output, or output starting with an XML declaration (`<?xml`), is not HTML;
 * - a fragment (no `<body` written) must not have text outside elements: `Hello <b>x</b>` fails;
 * - at least one element written in the output must be a standard HTML5 element or a custom
 *   element (a name with a hyphen): `<foo>bar</foo>` fails. `html`, `head` and `body` count only
 *   when the output writes them (the parser adds them to any text).
 * The value is unused. The parser is loaded on the first `is-html` assertion.
 */
import { z } from 'zod';
import { binary, defineAssertion, type AssertionOutcome } from './assertion.js';

/** HTML5's elements (obsolete ones excluded), as promptfoo lists them. */
const HTML_ELEMENTS = new Set(
  (
    'html head title base link meta style body article section nav aside h1 h2 h3 h4 h5 h6 ' +
    'header footer address p hr pre blockquote ol ul li dl dt dd figure figcaption main div ' +
    'a em strong small s cite q dfn abbr ruby rt rp data time code var samp kbd sub sup i b u ' +
    'mark bdi bdo span br wbr img iframe embed object param picture source video audio track ' +
    'map area svg math script noscript canvas ins del table caption colgroup col tbody thead ' +
    'tfoot tr td th form label input button select datalist optgroup option textarea output ' +
    'progress meter fieldset legend details summary dialog menu slot template'
  ).split(' '),
);

/** Larger outputs are refused rather than parsed (promptfoo's limit). */
const MAX_CHARS = 10 * 1024 * 1024;

interface Node {
  readonly nodeName: string;
  readonly tagName?: string;
  readonly value?: string;
  readonly childNodes?: readonly Node[];
}

type Parse5 = typeof import('parse5');
let parse5: Promise<Parse5> | undefined;

function* elements(node: Node): Generator<Node> {
  for (const child of node.childNodes ?? []) {
    if (child.tagName !== undefined) yield child;
    yield* elements(child);
  }
}

function findBody(node: Node): Node | undefined {
  for (const child of elements(node)) if (child.tagName === 'body') return child;
  return undefined;
}

async function htmlOutcome(output: string): Promise<AssertionOutcome> {
  const trimmed = output.trim();
  if (trimmed === '') return binary(false, 'Output is empty');
  if (trimmed.length > MAX_CHARS) return binary(false, 'Output exceeds maximum size limit');
  if (/^\s*<\?xml/i.test(trimmed)) return binary(false, 'Output appears to be XML, not HTML');
  const lib = await (parse5 ??= import('parse5'));
  const document = lib.parse(trimmed) as unknown as Node;
  const lower = trimmed.toLowerCase();
  const body = findBody(document);
  if (body !== undefined && !lower.includes('<body')) {
    const text = (body.childNodes ?? []).some(
      (n) => n.nodeName === '#text' && (n.value ?? '').trim() !== '',
    );
    if (text) return binary(false, 'Output must be wrapped in HTML tags');
  }
  for (const element of elements(document)) {
    const name = (element.tagName ?? '').toLowerCase();
    if (['html', 'head', 'body'].includes(name) && !lower.includes(`<${name}`)) continue;
    if (HTML_ELEMENTS.has(name) || name.includes('-')) return binary(true, 'Output is valid HTML');
  }
  return binary(false, 'Output does not contain recognized HTML elements');
}

export const isHtml = defineAssertion({
  type: 'is-html',
  description:
    'Output is HTML: parses as HTML, no bare text outside elements, at least one standard or custom element',
  valueSchema: z.union([z.null(), z.undefined(), z.literal(true)], { error: 'takes no value' }),
  evaluate: (_value, _threshold, { output }) => htmlOutcome(output),
});
