/**
 * A test's assertions (defaultTest's first, as promptfoo merges them) turned into stored
 * assertion specs: promptfoo's spellings mapped onto our kinds, `options.transform` and each
 * assertion's `transform` kept in order, and every kind we do not run named as unsupported,
 * with "did you mean" for a misspelling. A kind no tool knows stays an error even under
 * `--skip-unsupported`, which only sets aside promptfoo kinds we do not run.
 */
import { assertionSpecSchema, ASSERTION_TYPES, type AssertionSpec } from '../assertions/index.js';
import { kindOf, rubricPromptSyntaxError } from '../assertions/index.js';
import { PROMPTFOO_TYPES } from '../assertions/index.js';
import { didYouMean } from './did-you-mean.js';
import type { SuiteAssertion } from './suite-schema.js';

export interface SkippedAssertion {
  readonly type: string;
  readonly reason: string;
}

/** Why we do not run a promptfoo kind, where more can be said than "unsupported". */
const WHY: Readonly<Record<string, string>> = {
  ruby: 'ruby assertions run code outside a sandbox',
  guardrails:
    "guardrails reads a provider's guardrail verdict, which OpenAI-compatible servers do not send",
};

/** Model-graded kinds: they need a grader (see eval's "no silent grader" rule). */
export const GRADED_KINDS = new Set([
  'llm-rubric',
  'select-best',
  'similar',
  'similar:cosine',
  'similar:dot',
  'similar:euclidean',
  'g-eval',
  'factuality',
  'model-graded-closedqa',
  'answer-relevance',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
]);

/** Of those, the kinds that need an embedding model, and those that need only it. */
export const EMBEDDING_KINDS = new Set([
  'similar',
  'similar:cosine',
  'similar:dot',
  'similar:euclidean',
  'answer-relevance',
]);
export const EMBEDDING_ONLY_KINDS = new Set([
  'similar',
  'similar:cosine',
  'similar:dot',
  'similar:euclidean',
]);

/** promptfoo's test `options` the model-graded kinds read besides the grader and its prompt. */
export interface GradingOptions {
  /** `factuality`'s per-category scores (stored as the assertion's `config.factuality`). */
  readonly factuality?: Readonly<Record<string, number | undefined>>;
}

/**
 * The planned assertions as stored specs, in promptfoo's structure: each top-level entry of
 * `assert` is a plain assertion or an `assert-set` holding its members; `metric` and weights
 * kept (see assertions/grade-test.ts for how they combine).
 */
export interface AssertionPlan {
  readonly assertions: AssertionSpec[];
  readonly skipped: SkippedAssertion[];
  readonly issues: { path: string; message: string; unsupported?: string }[];
}

function toSpec(a: SuiteAssertion, transforms: readonly string[]): Record<string, unknown> {
  const negate = a.type.startsWith('not-') ? 'not-' : '';
  const base = a.type.slice(negate.length);
  const out: Record<string, unknown> = { type: a.type };
  if ((base === 'latency' || base === 'cost') && a.value === undefined && a.threshold !== undefined)
    out.value = a.threshold;
  else if (base === 'is-json' && a.value !== null && typeof a.value === 'object') {
    out.type = `${negate}json-schema`;
    out.value = a.value;
  } else {
    if (a.value !== undefined) out.value = a.value;
    if (a.threshold !== undefined) out.threshold = a.threshold;
  }
  if (a.weight !== undefined) out.weight = a.weight;
  if (a.metric !== undefined) out.metric = a.metric;
  if (a.config !== undefined) out.config = a.config;
  if (a.contextTransform !== undefined) out.contextTransform = a.contextTransform;
  const all = [...transforms, ...(a.transform === undefined ? [] : [a.transform])];
  if (all.length > 0) out.transform = all;
  return out;
}

/**
 * promptfoo's `rubricPrompt` as one text: a message list (inline, or a `.json`/`.yaml` file
 * already read) as its JSON; undefined when absent.
 */
export function rubricPromptText(prompt: unknown): string | undefined {
  if (prompt === undefined) return undefined;
  return typeof prompt === 'string' ? prompt : JSON.stringify(prompt);
}

/**
 * A moderation assertion's `provider` (promptfoo's `openai:moderation:<model>`, as an id or
 * `{id}`) as the assertion's config (`{provider: openai:<model>}`); a message when it is another
 * provider.
 */
function moderationModel(provider: unknown): Record<string, unknown> | string {
  const p = provider as { id?: unknown } | string;
  const id = typeof p === 'string' ? p : p.id;
  const model = typeof id === 'string' ? /^openai:moderation:([^\s:]+)$/.exec(id)?.[1] : undefined;
  return model === undefined
    ? 'a moderation assertion needs provider openai:moderation:<model> (default omni-moderation-latest)'
    : { provider: `openai:${model}` };
}

/**
 * A classifier assertion's `provider` (promptfoo's `huggingface:text-classification:<model>`,
 * as an id or `{id, config: {apiEndpoint}}`) as the assertion's config; a message when it is
 * another provider.
 */
function classifierEndpoint(provider: unknown): Record<string, unknown> | string {
  const p = provider as { id?: unknown; config?: { apiEndpoint?: unknown } } | string;
  const id = typeof p === 'string' ? p : p.id;
  if (typeof id !== 'string' || !id.startsWith('huggingface:text-classification:'))
    return 'a classifier needs provider huggingface:text-classification:<model> (with config.apiEndpoint, or CLASSIFIER_API_URL set)';
  const endpoint = typeof p === 'string' ? undefined : p.config?.apiEndpoint;
  return endpoint === undefined ? {} : { apiEndpoint: endpoint };
}

/**
 * The problem of a test's or defaultTest's `options.rubricPrompt` (Nunjucks that does not
 * parse), checked once where it is written; undefined when it parses or is absent.
 */
export function optionsRubricPromptIssue(prompt: unknown): string | undefined {
  const text = rubricPromptText(prompt);
  const error = text === undefined ? undefined : rubricPromptSyntaxError(text);
  return error === undefined ? undefined : `is not a valid Nunjucks template: ${error}`;
}

export function planAssertions(
  list: readonly { a: SuiteAssertion; path: string }[],
  testTransform: string | undefined,
  skipUnsupported: boolean,
  providerTools: readonly Record<string, unknown>[] | undefined,
  providerFunctions?: readonly Record<string, unknown>[],
  rubricPrompt?: string,
  grading: GradingOptions = {},
): AssertionPlan {
  const assertions: AssertionSpec[] = [];
  const skipped: SkippedAssertion[] = [];
  const issues: AssertionPlan['issues'] = [];
  const planOne = (written: SuiteAssertion, path: string): AssertionSpec | undefined => {
    let a = written;
    const base = a.type.replace(/^not-/, '');
    if (kindOf(a.type) === undefined && !(base === 'is-json' && typeof a.value === 'object')) {
      const known = PROMPTFOO_TYPES.has(base) || base === 'assert-set';
      const reason = WHY[base] ?? 'not run by prompt-cards';
      if (known && skipUnsupported) skipped.push({ type: a.type, reason });
      else
        issues.push({
          path: `${path}.type`,
          message: known
            ? `unsupported assertion type "${a.type}": ${reason} (use --skip-unsupported to run without it)`
            : `unknown assertion type "${a.type}"${didYouMean(a.type, [...ASSERTION_TYPES, ...PROMPTFOO_TYPES])}`,
          unsupported: a.type,
        });
      return undefined;
    }
    if (a.provider !== undefined && (base === 'classifier' || base === 'moderation')) {
      const own =
        base === 'classifier' ? classifierEndpoint(a.provider) : moderationModel(a.provider);
      if (typeof own === 'string') {
        issues.push({ path: `${path}.provider`, message: own });
        return undefined;
      }
      a = { ...a, provider: undefined, config: { ...a.config, ...own } };
    } else if (a.provider !== undefined) {
      issues.push({
        path,
        message:
          'provider on one assertion is not supported; name the grader in defaultTest.options.provider',
        unsupported: 'provider',
      });
      return undefined;
    }
    const ownPrompt = rubricPromptText(a.rubricPrompt);
    const gradedByPrompt = kindOf(a.type)?.kind.usesRubricPrompt === true;
    if (ownPrompt !== undefined && !gradedByPrompt) {
      issues.push({ path: `${path}.rubricPrompt`, message: `is not used by ${a.type}` });
      return undefined;
    }
    const prompt = gradedByPrompt ? (ownPrompt ?? rubricPrompt) : undefined;
    const defaults: Readonly<Record<string, unknown>> = {
      'is-valid-openai-tools-call': providerTools,
      'is-valid-openai-function-call': providerFunctions,
    };
    const spec = toSpec(
      a.value === undefined && defaults[base] !== undefined ? { ...a, value: defaults[base] } : a,
      testTransform === undefined ? [] : [testTransform],
    );
    if (prompt !== undefined) spec.rubricPrompt = prompt;
    if (base === 'factuality' && grading.factuality !== undefined)
      spec.config = { ...(spec.config as object | undefined), factuality: grading.factuality };
    const parsed = assertionSpecSchema.safeParse(spec);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      // An options.rubricPrompt is checked once where it is written (optionsRubricPromptIssue).
      if (ownPrompt === undefined && issue.path[0] === 'rubricPrompt') continue;
      issues.push({ path: `${path}.${issue.path.join('.')}`, message: issue.message });
    }
    return undefined;
  };
  for (const { a, path } of list) {
    if (a.type !== 'assert-set') {
      const spec = planOne(a, path);
      if (spec !== undefined) assertions.push(spec);
      continue;
    }
    const members = (a.assert ?? []).flatMap(
      (child, i) => planOne(child, `${path}.assert[${i}]`) ?? [],
    );
    if (members.length > 0)
      assertions.push({
        type: 'assert-set',
        assert: members,
        ...(a.weight === undefined ? {} : { weight: a.weight }),
        ...(a.metric === undefined ? {} : { metric: a.metric }),
        ...(a.threshold === undefined ? {} : { threshold: a.threshold }),
      });
  }
  return { assertions, skipped, issues };
}
