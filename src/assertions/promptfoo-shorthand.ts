/**
 * promptfoo's one-line assertions, as written in a CSV `__expected` column:
 * `contains: Paris`, `icontains: paris`, `regex: ^\d+$`, `is-json`, `similar(0.9): text`,
 * `grade: rubric` (llm-rubric), `fn: …` (javascript), `not-contains: x`; anything that does not
 * start with a known assertion type is an `equals` of the whole text.
 * Source: https://www.promptfoo.dev/docs/configuration/test-cases (CSV `__expected`).
 */
/** An assertion as a suite or an import row writes it, before it is checked against our kinds. */
export interface WrittenAssertion {
  readonly type: string;
  readonly value?: unknown;
  readonly threshold?: number;
}

/** Assertion types promptfoo knows; ours is a subset, the others are reported as unsupported. */
export const PROMPTFOO_TYPES: ReadonlySet<string> = new Set([
  'equals',
  'contains',
  'icontains',
  'contains-all',
  'contains-any',
  'icontains-all',
  'icontains-any',
  'starts-with',
  'regex',
  'is-json',
  'contains-json',
  'is-xml',
  'contains-xml',
  'is-sql',
  'contains-sql',
  'is-html',
  'javascript',
  'python',
  'webhook',
  'similar',
  'llm-rubric',
  'model-graded-closedqa',
  'factuality',
  'answer-relevance',
  'levenshtein',
  'rouge-n',
  'bleu',
  'latency',
  'cost',
  'perplexity',
  'perplexity-score',
  'meteor',
  'classifier',
  'moderation',
  'ruby',
  'guardrails',
  'is-valid-openai-function-call',
  'is-valid-openai-tools-call',
  'finish-reason',
  'g-eval',
  'select-best',
  'max-score',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'word-count',
  'tool-call-f1',
  'gleu',
]);
const ALIASES: Readonly<Record<string, string>> = {
  grade: 'llm-rubric',
  fn: 'javascript',
  eval: 'javascript',
};

/** Kinds not named `is-…` that promptfoo runs without a value (`contains-sql` alone is the kind). */
const VALUE_OPTIONAL: ReadonlySet<string> = new Set([
  'contains-json',
  'contains-xml',
  'contains-sql',
]);

const SHORTHAND = /^(not-)?([a-z][a-z0-9-]*)(?:\((\d+(?:\.\d+)?)\))?(?::\s?([\s\S]*))?$/;

export function assertionFromString(text: string): WrittenAssertion {
  const match = SHORTHAND.exec(text.trim());
  if (match !== null) {
    const [, negate = '', name = '', threshold, value] = match;
    const base = ALIASES[name] ?? name;
    if (
      PROMPTFOO_TYPES.has(base) &&
      (value !== undefined || base.startsWith('is-') || VALUE_OPTIONAL.has(base))
    ) {
      return {
        type: `${negate}${base}`,
        ...(value === undefined ? {} : { value }),
        ...(threshold === undefined ? {} : { threshold: Number(threshold) }),
      };
    }
  }
  return { type: 'equals', value: text };
}
