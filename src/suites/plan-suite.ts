/**
 * Turns a loaded suite into what a run needs: one card per prompt, the tests with defaultTest
 * merged in (its vars under the test's, its assertions first, as promptfoo does), list-valued
 * vars expanded into one test per combination, every prompt rendered for every test
 * (Nunjucks, vars referencing vars), assertions checked against our kinds, the providers and
 * the grader. Every problem is collected and thrown at once as a SuiteError naming file, path
 * and line, and the feature it is about.
 */
import { comparativeSpecs, renderedMetrics, type AssertionSpec } from '../assertions/index.js';
import type { TemplateValue } from '../cards/index.js';
import type { LoadedSuite } from './load-suite.js';
import {
  GRADED_KINDS,
  optionsRubricPromptIssue,
  planAssertions,
  rubricPromptText,
  type SkippedAssertion,
} from './plan-assertions.js';
import {
  expandVars,
  PromptRenderError,
  renderNunjucks,
  templateVariables,
  varCombinations,
  type PromptFilters,
} from './render-prompt.js';
import {
  conversationKeyOf,
  CONVERSATION_VAR,
  readsConversation,
  renderTurn,
  storeNameOf,
} from './sequential.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import { planProvider, unknownSimulatedModel, type PlannedProvider } from './suite-providers.js';
import type { SuiteAssertion, TestOptions } from './suite-schema.js';
import type { SourcedTest } from './tests-file.js';
import { cutText, cutUnique } from '../util/index.js';

export type { SkippedAssertion } from './plan-assertions.js';

export interface PlannedTest {
  /** Stable key: `key`, else the description, else `#<position>`. */
  readonly key: string;
  readonly name: string;
  /** The vars as stored with the test case (lists and objects as JSON text). */
  readonly vars: Readonly<Record<string, TemplateValue>>;
  /** The prompt of each card rendered with this test's vars, by card index. */
  readonly prompts: readonly string[];
  /**
   * The stored assertions, promptfoo's structure kept (assert-sets, weights, metrics); a test
   * `threshold` is a set around them all with that threshold, so the service's stored verdict
   * and the report's are one computation (assertions/grade-test.ts).
   */
  readonly assertions: readonly AssertionSpec[];
  readonly skipped: readonly SkippedAssertion[];
  readonly expectedOutput: string | null;
  /** The vars before vars referencing vars are expanded (a turn is rendered from them). */
  readonly rawVars: Readonly<Record<string, unknown>>;
  /** promptfoo's `storeOutputAs`: the var later tests get this test's answer as. */
  readonly storeOutputAs: string | undefined;
  /** promptfoo's `metadata.conversationId`: which `_conversation` of its prompt × model. */
  readonly conversationId: string | undefined;
  readonly disableConversationVar: boolean;
}

export interface PlannedCard {
  readonly key: string;
  readonly title: string;
  readonly template: string;
  /** Model ids that run this prompt (a provider's `prompts` narrows it). */
  readonly models: readonly string[];
  /** The template reads promptfoo's `_conversation` (earlier turns). */
  readonly readsConversation: boolean;
}

export interface SuitePlan {
  readonly description: string;
  readonly cards: readonly PlannedCard[];
  readonly tests: readonly PlannedTest[];
  readonly providers: readonly PlannedProvider[];
  readonly concurrency: number;
  readonly repeat: number;
  readonly passRateThreshold: number | undefined;
  /** The grader the suite names (`options.provider`), if any. */
  readonly grader: string | undefined;
  /** The embedding model the suite names (`options.provider.embedding`), if any. */
  readonly embedding: string | undefined;
  /** promptfoo's `derivedMetrics`: expressions over named scores, computed after the run. */
  readonly derivedMetrics: readonly { readonly name: string; readonly value: string }[];
  /** promptfoo's `outputPath`: where results go when the command names no output. */
  readonly outputPaths: readonly string[];
  /** Environment the suite sets (`env`); variables already set win. */
  readonly env: Readonly<Record<string, string>>;
  /** Model-graded kinds the suite uses (llm-rubric needs a grader, similar embeddings). */
  readonly graded: ReadonlySet<string>;
  /**
   * A test stores its answer (`storeOutputAs`) or a prompt reads `_conversation`: each test's
   * prompt needs the earlier answers, so the tests run in file order (sequential.ts).
   */
  readonly sequential: boolean;
  /** The suite's custom Nunjucks filters (`nunjucksFilters`), for prompts rendered in the run. */
  readonly filters: PromptFilters;
}

export interface PlanOptions {
  readonly skipUnsupported?: boolean;
  /** Keep only these providers (by model id, suite id or label). */
  readonly models?: readonly string[];
}

function idOf(p: TestOptions['provider'], part: 'text' | 'embedding'): string | undefined {
  if (p === undefined) return undefined;
  if (typeof p === 'string') return part === 'text' ? p : undefined;
  if ('id' in p) return part === 'text' ? p.id : undefined;
  const inner = p[part];
  return typeof inner === 'string' ? inner : inner?.id;
}

/** Vars as a test case stores them: text, numbers and booleans as they are, others as JSON. */
export function storedVars(vars: Readonly<Record<string, unknown>>): Record<string, TemplateValue> {
  const out: Record<string, TemplateValue> = {};
  for (const [name, value] of Object.entries(vars))
    out[name] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : (JSON.stringify(value) ?? '');
  return out;
}

export function planSuite(loaded: LoadedSuite, options: PlanOptions = {}): SuitePlan {
  const issues: SuiteIssue[] = [];
  const { suite, document } = loaded;

  const providerList = Array.isArray(suite.providers) ? suite.providers : [suite.providers];
  const providers: PlannedProvider[] = [];
  providerList.forEach((entry, index) => {
    const at = Array.isArray(suite.providers) ? ['providers', index] : ['providers'];
    const planned = planProvider(entry);
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
  const chosen = options.models ?? [];
  const selected =
    chosen.length === 0
      ? providers
      : providers.filter((p) =>
          chosen.some((m) => m === p.modelId || m === p.suiteId || m === p.label),
        );
  if (chosen.length > 0 && selected.length === 0 && issues.length === 0)
    issues.push({
      file: loaded.file,
      path: 'providers',
      message: `no provider matches --models ${chosen.join(',')}`,
    });

  const cards: PlannedCard[] = loaded.prompts.map((prompt, index) => ({
    key: `prompt-${index + 1}`,
    // Two long labels that share their first 200 characters stay two cards on a service.
    title: cutUnique(prompt.label, 200),
    template: prompt.template,
    models: selected
      .filter(
        (p) =>
          p.prompts === undefined || p.prompts.some((n) => n === prompt.label || n === prompt.id),
      )
      .map((p) => p.modelId),
    readsConversation: readsConversation(prompt.template),
  }));
  // The vars earlier answers provide (promptfoo's registers): known only when the tests run.
  const storedNames = new Set(
    loaded.tests
      .map((t) => storeNameOf(t, loaded))
      .filter((name): name is string => name !== undefined),
  );

  const graders = new Set<string>();
  const embeddings = new Set<string>();
  const noteGrader = (
    o: TestOptions | undefined,
    where: (path: string, message: string) => void,
  ) => {
    const text = idOf(o?.provider, 'text');
    const embedding = idOf(o?.provider, 'embedding');
    if (text !== undefined) graders.add(text);
    if (embedding !== undefined) embeddings.add(embedding);
    // A grader or embedding model that does not exist is refused now, not at its first call.
    for (const [id, path] of [
      [text, 'options.provider'],
      [embedding, 'options.provider.embedding'],
    ] as const) {
      const unknown = id === undefined ? undefined : unknownSimulatedModel(id);
      if (unknown !== undefined) where(path, unknown);
    }
  };
  noteGrader(loaded.defaultTest?.options, (path, message) =>
    issues.push(document.issue(['defaultTest', ...path.split('.')], message)),
  );
  const defaultRubric = optionsRubricPromptIssue(loaded.defaultTest?.options?.rubricPrompt);
  if (defaultRubric !== undefined)
    issues.push(document.issue(['defaultTest', 'options', 'rubricPrompt'], defaultRubric));

  const tests: PlannedTest[] = [];
  const keys = new Set<string>();
  const graded = new Set<string>();
  loaded.tests.forEach((sourced, index) => {
    noteGrader(sourced.test.options, (path, message) => issues.push(at(sourced, path, message)));
    const rubric = optionsRubricPromptIssue(sourced.test.options?.rubricPrompt);
    if (rubric !== undefined) issues.push(at(sourced, 'options.rubricPrompt', rubric));
    for (const planned of planTest(
      sourced,
      index,
      loaded,
      cards,
      selected,
      options,
      issues,
      storedNames,
    )) {
      if (keys.has(planned.key))
        issues.push(
          at(
            sourced,
            'key',
            `duplicate test key "${planned.key}"; give the tests distinct keys or descriptions`,
          ),
        );
      keys.add(planned.key);
      for (const a of planned.assertions) {
        const base = a.type.replace(/^not-/, '');
        if (GRADED_KINDS.has(base)) graded.add(base);
      }
      tests.push(planned);
    }
  });
  issues.push(...comparisonIssues(loaded.file, cards, tests, storedNames.size > 0));
  if (graders.size > 1)
    issues.push({
      file: loaded.file,
      path: 'options.provider',
      message: `one grader per suite: ${[...graders].join(', ')}`,
    });
  if (tests.length === 0 && issues.length === 0)
    issues.push(document.issue(['tests'], 'needs at least one test'));
  if (issues.length > 0) throw new SuiteError(issues);

  return {
    description: suite.description ?? '',
    cards,
    tests,
    providers: selected,
    concurrency: suite.concurrency ?? suite.evaluateOptions?.maxConcurrency ?? 4,
    repeat: suite.repeat ?? suite.evaluateOptions?.repeat ?? 1,
    passRateThreshold: suite.thresholds?.pass_rate,
    grader: [...graders][0],
    derivedMetrics: suite.derivedMetrics ?? [],
    outputPaths:
      suite.outputPath === undefined
        ? []
        : Array.isArray(suite.outputPath)
          ? suite.outputPath
          : [suite.outputPath],
    env: Object.fromEntries(Object.entries(suite.env ?? {}).map(([k, v]) => [k, String(v)])),
    embedding: [...embeddings][0],
    graded,
    sequential: storedNames.size > 0 || cards.some((c) => c.readsConversation),
    filters: loaded.filters,
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

/** A test `threshold`: the test passes when its weighted score reaches it (one set around all). */
function withThreshold(
  assertions: AssertionSpec[],
  threshold: number | undefined,
): AssertionSpec[] {
  if (threshold === undefined || assertions.length === 0) return assertions;
  return [{ type: 'assert-set', assert: assertions, threshold }];
}

function planTest(
  sourced: SourcedTest,
  index: number,
  loaded: LoadedSuite,
  cards: readonly PlannedCard[],
  providers: readonly PlannedProvider[],
  options: PlanOptions,
  issues: SuiteIssue[],
  storedNames: ReadonlySet<string>,
): PlannedTest[] {
  const { test } = sourced;
  const defaults = loaded.defaultTest;
  const merged = {
    ...(typeof defaults?.vars === 'object' ? defaults.vars : {}),
    ...(typeof test.vars === 'object' ? test.vars : {}),
  };
  const list: { a: SuiteAssertion; path: string }[] = [
    ...(defaults?.assert ?? []).map((a, i) => ({
      a: a,
      path: `defaultTest.assert[${i}]`,
    })),
    ...(test.assert ?? []).map((a, i) => ({ a: a, path: `assert[${i}]` })),
  ];
  const tools = providers.find((p) => p.body.tools !== undefined)?.body.tools as
    Record<string, unknown>[] | undefined;
  const plan = planAssertions(
    list,
    test.options?.transform ?? defaults?.options?.transform,
    options.skipUnsupported === true,
    tools,
    providers.find((p) => p.body.functions !== undefined)?.body.functions as
      Record<string, unknown>[] | undefined,
    rubricPromptText(test.options?.rubricPrompt ?? defaults?.options?.rubricPrompt),
    { factuality: test.options?.factuality ?? defaults?.options?.factuality },
  );
  for (const issue of plan.issues)
    issues.push(at(sourced, issue.path, issue.message, issue.unsupported));
  const disableConversationVar =
    (test.options?.disableConversationVar ?? defaults?.options?.disableConversationVar) === true;
  const conversationId = test.metadata?.conversationId ?? defaults?.metadata?.conversationId;

  const combos = varCombinations(
    merged,
    (test.options?.disableVarExpansion ?? defaults?.options?.disableVarExpansion) === true,
  );
  return combos.map((raw, combo) => {
    let vars: Record<string, unknown> = raw;
    const prompts: string[] = [];
    // Until the tests run, a stored answer renders as empty text and _conversation as no turn.
    const placeholders = Object.fromEntries(
      [...storedNames].filter((n) => !Object.hasOwn(raw, n)).map((n) => [n, '']),
    );
    try {
      vars = expandVars(raw, loaded.filters);
      for (const card of cards) {
        const missing = templateVariables(card.template).filter(
          (name) =>
            !Object.hasOwn(vars, name) &&
            !storedNames.has(name) &&
            !(name === CONVERSATION_VAR && card.readsConversation),
        );
        if (missing.length > 0 && combo === 0)
          issues.push(
            at(
              sourced,
              'vars',
              `missing variable(s) the prompts use: ${[...new Set(missing)].join(', ')}`,
            ),
          );
        prompts.push(
          storedNames.size === 0 && !card.readsConversation
            ? renderNunjucks(card.template, vars, loaded.filters)
            : renderTurn(
                card.template,
                { rawVars: { ...raw, ...placeholders }, disableConversationVar },
                {},
                [],
                loaded.filters,
              ).prompt,
        );
      }
    } catch (error) {
      if (!(error instanceof PromptRenderError)) throw error;
      if (combo === 0)
        issues.push(
          at(sourced, '', `the prompt does not render (Nunjucks): ${error.message}`, 'nunjucks'),
        );
    }
    const suffix = combos.length > 1 ? ` [${combo + 1}]` : '';
    const position = `#${index + 1}${suffix}`;
    // A var filled by an earlier answer is named as written: its value is known only in the run.
    const summary = Object.entries(storedVars(storedNames.size > 0 ? raw : vars))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return {
      key:
        test.key === undefined && test.description === undefined
          ? position
          : `${test.key ?? test.description ?? ''}${suffix}`,
      name: cutText(
        test.description === undefined
          ? `${position} ${summary}`.trim()
          : `${test.description}${suffix}`,
        200,
      ),
      vars: storedVars(vars),
      prompts,
      // promptfoo renders each `metric` with the test's vars (an earlier answer's as empty text).
      assertions: renderedMetrics(
        withThreshold(plan.assertions, test.threshold ?? defaults?.threshold),
        { ...placeholders, ...vars },
      ),
      skipped: plan.skipped,
      expectedOutput: test.expected_output ?? null,
      rawVars: raw,
      storeOutputAs: storeNameOf(sourced, loaded),
      conversationId: conversationKeyOf(conversationId),
      disableConversationVar,
    };
  });
}

/**
 * Comparative assertions (`select-best`, `max-score`) compare the outputs of one test inside
 * one run: the suite needs one prompt and at least two providers (each prompt is a run of
 * its own), and no test that reads earlier answers (those run one call per run).
 */
function comparisonIssues(
  file: string,
  cards: readonly PlannedCard[],
  tests: readonly PlannedTest[],
  sequential: boolean,
): SuiteIssue[] {
  const kinds = new Set(tests.flatMap((t) => comparativeSpecs(t.assertions).map((s) => s.type)));
  if (kinds.size === 0) return [];
  const named = [...kinds].sort().join(', ');
  const outputs = cards.reduce((n, c) => n + c.models.length, 0);
  if (outputs < 2)
    return [...kinds].sort().map((kind) => ({
      file,
      path: 'providers',
      message: `${kind} assertion must have at least two outputs to compare between: give two or more providers`,
    }));
  if (cards.length > 1)
    return [
      {
        file,
        path: 'prompts',
        message: `${named} across several prompts is not supported: compare providers of one prompt (one prompt, two or more providers)`,
        unsupported: [...kinds].sort()[0],
      },
    ];
  if (sequential || cards.some((c) => c.readsConversation))
    return [
      {
        file,
        path: 'tests',
        message: `${named} is not supported in a suite whose tests read earlier answers (storeOutputAs, _conversation)`,
        unsupported: [...kinds].sort()[0],
      },
    ];
  return [];
}

/**
 * The name a test case of this test has on a service (`push`, `eval --server`): its stable key,
 * cut to the 200 characters a name holds with a hash of the whole key when longer, so two keys
 * sharing their first 200 characters name two test cases.
 */
export function testCaseName(test: Pick<PlannedTest, 'key'>): string {
  return cutUnique(test.key, 200);
}
