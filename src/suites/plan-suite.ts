/**
 * Turns a loaded suite into what a run needs: one card per prompt, the tests with defaultTest
 * merged in (its vars under the test's, its assertions first, as promptfoo does), assertions
 * checked against our kinds, and the providers. Every problem is collected and thrown at once
 * as a SuiteError naming file, path and line. An assertion kind we do not have is an error,
 * or with `skipUnsupported` is kept aside and reported as not evaluated.
 */
import { ASSERTION_KINDS, assertionSpecSchema, type AssertionSpec } from '../assertions/index.js';
import { extractVariables } from '../cards/index.js';
import type { LoadedSuite } from './load-suite.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import { planProvider, type PlannedProvider } from './suite-providers.js';
import type { SuiteAssertion } from './suite-schema.js';
import type { SourcedTest } from './tests-file.js';

export interface SkippedAssertion {
  readonly type: string;
  readonly reason: string;
}

export interface PlannedTest {
  /** Stable key: `key`, else the description, else `#<position>`. */
  readonly key: string;
  readonly name: string;
  readonly vars: Readonly<Record<string, string | number | boolean>>;
  readonly assertions: readonly AssertionSpec[];
  readonly skipped: readonly SkippedAssertion[];
  readonly threshold: number | undefined;
  readonly expectedOutput: string | null;
}

export interface PlannedCard {
  readonly key: string;
  readonly title: string;
  readonly template: string;
}

export interface SuitePlan {
  readonly description: string;
  readonly cards: readonly PlannedCard[];
  readonly tests: readonly PlannedTest[];
  readonly providers: readonly PlannedProvider[];
  readonly concurrency: number;
  readonly repeat: number;
  readonly passRateThreshold: number | undefined;
}

export interface PlanOptions {
  readonly skipUnsupported?: boolean;
  /** Keep only these providers (by model id, suite id or label). */
  readonly models?: readonly string[];
}

/** A template placeholder that is not a plain `{{ name }}`: Nunjucks filters, tags, comments. */
const NUNJUCKS = /\{\{(?!\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\})|\{%|\{#/;

/** Maps promptfoo's spelling of a kind onto ours (latency and cost take their limit as `threshold`). */
function toSpec(a: SuiteAssertion): Record<string, unknown> {
  if (
    (a.type === 'latency' || a.type === 'cost') &&
    a.value === undefined &&
    a.threshold !== undefined
  )
    return {
      type: a.type,
      value: a.threshold,
      ...(a.weight === undefined ? {} : { weight: a.weight }),
    };
  if (
    a.type === 'is-json' &&
    a.value !== undefined &&
    a.value !== null &&
    typeof a.value === 'object'
  )
    return {
      type: 'json-schema',
      value: a.value,
      ...(a.weight === undefined ? {} : { weight: a.weight }),
    };
  return {
    type: a.type,
    ...(a.value === undefined ? {} : { value: a.value }),
    ...(a.threshold === undefined ? {} : { threshold: a.threshold }),
    ...(a.weight === undefined ? {} : { weight: a.weight }),
  };
}

export function planSuite(loaded: LoadedSuite, options: PlanOptions = {}): SuitePlan {
  const issues: SuiteIssue[] = [];
  const { suite, document } = loaded;

  const providerList = Array.isArray(suite.providers) ? suite.providers : [suite.providers];
  const providers: PlannedProvider[] = [];
  providerList.forEach((entry, index) => {
    const at = Array.isArray(suite.providers) ? ['providers', index] : ['providers'];
    const planned =
      typeof entry === 'string'
        ? planProvider(entry, undefined, undefined)
        : planProvider(entry.id, entry.label, entry.config);
    if (typeof planned === 'string') {
      issues.push(
        document.issue(at, planned, { unsupported: typeof entry === 'string' ? entry : entry.id }),
      );
      return;
    }
    if (providers.some((p) => p.modelId === planned.modelId))
      issues.push(
        document.issue(at, `duplicate provider "${planned.modelId}"; give each a distinct label`),
      );
    providers.push(planned);
  });
  const selected =
    options.models === undefined || options.models.length === 0
      ? providers
      : providers.filter((p) =>
          options.models?.some((m) => m === p.modelId || m === p.suiteId || m === p.label),
        );
  if (
    options.models !== undefined &&
    options.models.length > 0 &&
    selected.length === 0 &&
    issues.length === 0
  )
    issues.push({
      file: loaded.file,
      path: 'providers',
      message: `no provider matches --models ${options.models.join(',')}`,
    });

  const cards: PlannedCard[] = loaded.prompts.map((prompt, index) => {
    if (NUNJUCKS.test(prompt.template))
      issues.push({
        file: loaded.file,
        path: prompt.source,
        message:
          'unsupported template syntax: only {{ variable }} placeholders (no Nunjucks filters, tags or comments)',
        unsupported: 'nunjucks',
      });
    return {
      key: `prompt-${index + 1}`,
      title: prompt.label.slice(0, 200),
      template: prompt.template,
    };
  });
  const needed = new Set(loaded.prompts.flatMap((p) => extractVariables(p.template)));

  const keys = new Set<string>();
  const tests = loaded.tests.map((sourced, index) => {
    const planned = planTest(sourced, index, loaded, options, issues, needed);
    if (keys.has(planned.key))
      issues.push(
        at(
          sourced,
          'key',
          `duplicate test key "${planned.key}"; give the tests distinct keys or descriptions`,
        ),
      );
    keys.add(planned.key);
    return planned;
  });
  if (tests.length === 0) issues.push(document.issue(['tests'], 'needs at least one test'));
  if (issues.length > 0) throw new SuiteError(issues);

  const threshold = suite.thresholds?.pass_rate;
  return {
    description: suite.description ?? '',
    cards,
    tests,
    providers: selected,
    concurrency: suite.concurrency ?? suite.evaluateOptions?.maxConcurrency ?? 4,
    repeat: suite.repeat ?? suite.evaluateOptions?.repeat ?? 1,
    passRateThreshold: threshold,
  };
}

function at(
  sourced: SourcedTest,
  field: string,
  message: string,
  unsupported?: string,
): SuiteIssue {
  return {
    file: sourced.file,
    path: field === '' ? sourced.path : `${sourced.path}.${field}`,
    ...(sourced.line === undefined ? {} : { line: sourced.line }),
    message,
    ...(unsupported === undefined ? {} : { unsupported }),
  };
}

function planTest(
  sourced: SourcedTest,
  index: number,
  loaded: LoadedSuite,
  options: PlanOptions,
  issues: SuiteIssue[],
  needed: ReadonlySet<string>,
): PlannedTest {
  const { test } = sourced;
  const defaults = loaded.defaultTest;
  const vars = { ...defaults?.vars, ...test.vars };
  const missing = [...needed].filter((name) => !Object.hasOwn(vars, name));
  if (missing.length > 0)
    issues.push(at(sourced, 'vars', `missing variable(s) the prompts use: ${missing.join(', ')}`));
  const all = [
    ...(defaults?.assert ?? []).map((a, i) => ({ a, path: `defaultTest.assert[${i}]` })),
    ...(test.assert ?? []).map((a, i) => ({ a, path: `assert[${i}]` })),
  ];
  const assertions: AssertionSpec[] = [];
  const skipped: SkippedAssertion[] = [];
  for (const { a, path } of all) {
    if (!ASSERTION_KINDS.has(a.type)) {
      if (options.skipUnsupported === true)
        skipped.push({ type: a.type, reason: 'unsupported assertion type' });
      else
        issues.push(
          at(
            sourced,
            `${path}.type`,
            `unsupported assertion type "${a.type}" (use --skip-unsupported to run without it)`,
            a.type,
          ),
        );
      continue;
    }
    const parsed = assertionSpecSchema.safeParse(toSpec(a));
    if (parsed.success) assertions.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        issues.push(at(sourced, `${path}.${issue.path.join('.')}`, issue.message));
  }
  const position = `#${index + 1}`;
  const key = test.key ?? test.description ?? position;
  const summary = Object.entries(vars)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return {
    key,
    name: (test.description ?? `${position} ${summary}`.trim()).slice(0, 200),
    vars,
    assertions,
    skipped,
    threshold: test.threshold ?? defaults?.threshold,
    expectedOutput: test.expected_output ?? null,
  };
}
