/**
 * `prompt-cards eval`: load and check the suite, run every prompt × test × provider on the
 * embedded engine, report, and decide the exit code (0 thresholds hold, 1 one fails, 2 the
 * suite or the configuration is bad; SuiteError and ConfigError mean 2).
 */
import { CommandError } from './server-commands.js';
import { parseConfig } from '../config.js';
import {
  allowAnyAssertionEndpoint,
  allowLocalCode,
  comparativeSpecs,
} from '../assertions/index.js';
import { cardInputSchema, testCaseInputSchema } from '../cards/index.js';
import { pythonAvailable } from '../util/index.js';
import type { RunResult } from '../runs/index.js';
import {
  loadSuite,
  planSuite,
  storedVars,
  type PlannedTest,
  type SuitePlan,
} from '../suites/index.js';
import { openEmbeddedEngine } from './embedded-engine.js';
import { verdictOf, type EvalReport, type RunOfCard } from './eval-report.js';
import { concludeEval } from './eval-conclusion.js';
import { visible } from './terminal-text.js';
import { createProgress } from './progress.js';
import { isSupportedOutput, OUTPUT_EXTENSIONS } from './report-writers.js';
import { suiteProviders, suiteSecrets } from './suite-provider.js';
import { suitePrices } from './model-prices.js';
import { filterTests } from './test-filters.js';
import { runInOrder, type RunStep } from './run-in-order.js';
import {
  EMBEDDING_KINDS,
  EMBEDDING_ONLY_KINDS,
  SuiteError,
  unknownSimulatedModel,
} from '../suites/index.js';

export interface EvalOptions {
  readonly config: string;
  readonly concurrency?: number;
  readonly repeat?: number;
  readonly models?: readonly string[];
  readonly output?: readonly string[];
  readonly failUnder?: number;
  readonly skipUnsupported?: boolean;
  /** A JSON report of an earlier eval: exit 1 when a model regressed significantly. */
  readonly baseline?: string;
  readonly alpha?: number;
  /** `sqlite:<path>` keeps the runs; in memory otherwise. */
  readonly db?: string;
  /** The grader of model-graded assertions (`--grader`), over the suite's and GRADER_MODEL. */
  readonly grader?: string;
  /** promptfoo's `--filter-pattern`: only the tests whose description matches. */
  readonly filterPattern?: RegExp;
  /** promptfoo's `--filter-failing`: only the tests that failed or errored in this JSON report. */
  readonly filterFailing?: string;
  readonly log?: (line: string) => void;
}

/**
 * No silent grader: a model-graded assertion runs only with a grader the user named (the
 * suite's options.provider, --grader, or GRADER_MODEL; the simulated grader only by name),
 * and `similar` only with a named embedding model. Returns the issues, empty when fine.
 */
function graderIssues(
  file: string,
  graded: ReadonlySet<string>,
  grader: string | undefined,
  embedding: string | undefined,
): { file: string; path: string; message: string }[] {
  const issues = [];
  const needGrader = [...graded].filter((kind) => !EMBEDDING_ONLY_KINDS.has(kind));
  const needEmbedding = [...graded].filter((kind) => EMBEDDING_KINDS.has(kind));
  if (needGrader.length > 0 && grader === undefined)
    issues.push({
      file,
      path: 'options.provider',
      message: `${needGrader.join(', ')} ${needGrader.length === 1 ? 'needs' : 'need'} a grader and none is configured: set defaultTest.options.provider in the suite, pass --grader <provider:model>, or set GRADER_MODEL (simulated:grader only when named)`,
    });
  if (needEmbedding.length > 0 && embedding === undefined)
    issues.push({
      file,
      path: 'options.provider.embedding',
      message: `${needEmbedding.join(', ')} ${needEmbedding.length === 1 ? 'needs' : 'need'} an embedding model and none is configured: set defaultTest.options.provider.embedding in the suite, or set EMBEDDING_MODEL (simulated:embed only when named)`,
    });
  return issues;
}

/**
 * The suite of an `eval` as it will run: loaded, planned (--skip-unsupported, --models) and
 * filtered (--filter-pattern, --filter-failing), and its `outputPath` checked.
 * @throws SuiteError (a bad suite) or CommandError (filters that leave no test): exit 2.
 */
export async function loadEvalPlan(options: EvalOptions): Promise<SuitePlan> {
  // The user's own suite: its webhook and classifier URLs are not held to a service's allow-list
  // here (a service checks its own when `eval --server` pushes the suite).
  allowAnyAssertionEndpoint(parseConfig(process.env).assertions);
  const plan = await filterTests(
    planSuite(await loadSuite(options.config), {
      skipUnsupported: options.skipUnsupported === true,
      ...(options.models === undefined ? {} : { models: options.models }),
    }),
    {
      ...(options.filterPattern === undefined ? {} : { pattern: options.filterPattern }),
      ...(options.filterFailing === undefined ? {} : { failing: options.filterFailing }),
    },
  );
  if (plan.tests.length === 0 && (options.filterPattern ?? options.filterFailing) !== undefined)
    throw new CommandError(
      options.filterFailing === undefined
        ? `no test matches --filter-pattern ${String(options.filterPattern)}: nothing to run`
        : `no test to run: nothing failed or errored in ${options.filterFailing}${options.filterPattern === undefined ? '' : ' that matches --filter-pattern'}`,
    );
  // The suite's outputPath is checked as -o is, before any call (no report under a false name).
  if (options.output === undefined) {
    const bad = plan.outputPaths.filter((p) => !isSupportedOutput(p));
    if (bad.length > 0)
      throw new SuiteError(
        bad.map((path) => ({
          file: options.config,
          path: 'outputPath',
          message: `${path}: must end in ${OUTPUT_EXTENSIONS.join(', ')}`,
        })),
      );
  }
  return plan;
}

export async function evalCommand(
  options: EvalOptions,
): Promise<{ code: number; report: EvalReport }> {
  const sink = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Every summary line carries text of the suite or the models: escaped before it is printed.
  const log = (line: string) => sink(visible(line));
  // The user runs their own suite here: its python assertions may run (never on a service).
  const python = process.env.PROMPTFOO_PYTHON ?? 'python3';
  allowLocalCode(python);
  const plan = await loadEvalPlan(options);
  for (const [name, value] of Object.entries(plan.env)) process.env[name] ??= value;
  const service = parseConfig(process.env);
  // …and its webhook and classifier assertions may call any endpoint (a service allows a list).
  allowAnyAssertionEndpoint(service.assertions);
  const base = service.providers;
  const grader = options.grader ?? plan.grader ?? process.env.GRADER_MODEL;
  const embedding = plan.embedding ?? process.env.EMBEDDING_MODEL;
  const refused = graderIssues(options.config, plan.graded, grader, embedding);
  // Named outside the suite (--grader, GRADER_MODEL, EMBEDDING_MODEL): refused before any call.
  for (const [id, where] of [
    [options.grader, '--grader'],
    [
      options.grader === undefined && plan.grader === undefined
        ? process.env.GRADER_MODEL
        : undefined,
      'GRADER_MODEL',
    ],
    [plan.embedding === undefined ? process.env.EMBEDDING_MODEL : undefined, 'EMBEDDING_MODEL'],
  ] as const) {
    const unknown = id === undefined ? undefined : unknownSimulatedModel(id);
    if (unknown !== undefined)
      refused.push({ file: options.config, path: where, message: unknown });
  }
  if (
    plan.tests.some((t) => t.assertions.some((a) => a.type.replace(/^not-/, '') === 'python')) &&
    !pythonAvailable(python)
  )
    refused.push({
      file: options.config,
      path: 'assert',
      message: `python assertions need Python 3: "${python}" does not start (install python3, or set PROMPTFOO_PYTHON to an interpreter)`,
    });
  if (refused.length > 0) throw new SuiteError(refused);
  const config = {
    ...service,
    providers: {
      ...base,
      graderModel: grader ?? base.graderModel,
      embeddingModel: embedding ?? base.embeddingModel,
      prices: suitePrices(plan.providers, grader, base.prices),
    },
  };
  const models = plan.providers.map((p) => p.modelId);
  const embedded = await openEmbeddedEngine(
    config,
    suiteProviders(plan.providers, config.providers),
    options.db,
    { secrets: suiteSecrets(plan.providers) },
  );
  const progress = createProgress();
  // One subscription for the whole command, taken before any run starts, so no event of a
  // run can pass before its id is known.
  const allTests = new Map<string, PlannedTest>();
  const resultsOf = new Map<string, RunResult[]>();
  const done = new Set<string>();
  const waiting = new Map<string, () => void>();
  const unsubscribe = embedded.events.subscribe((event) => {
    if (event.type === 'result') {
      const list = resultsOf.get(event.run_id) ?? [];
      list.push(event.result);
      resultsOf.set(event.run_id, list);
      const test = allTests.get(event.result.test_case_id);
      progress.tick(test !== undefined && verdictOf(event.result, test) === 'pass');
    } else if (event.type === 'run.finished') {
      done.add(event.run_id);
      waiting.get(event.run_id)?.();
    }
  });
  const finished = (runId: string): Promise<void> =>
    done.has(runId) ? Promise.resolve() : new Promise((resolve) => waiting.set(runId, resolve));
  const compares = plan.tests.some((t) => comparativeSpecs(t.assertions).length > 0);
  try {
    const runs: RunOfCard[] = [];
    const repeat = options.repeat ?? plan.repeat;
    const concurrency = options.concurrency ?? plan.concurrency;
    progress.start(
      plan.cards.reduce((n, c) => n + c.models.length, 0) * plan.tests.length * repeat,
    );
    const runStep: RunStep = async (card, test, vars, prompt, model) => {
      const created = await embedded.cards.createCard(
        cardInputSchema.parse({
          title: card.title,
          prompt_template: '{{__prompt}}',
          description: plan.description.slice(0, 10_000),
        }),
      );
      const [id = ''] = await embedded.cards.insertTestCases(created.id, [
        testCaseInputSchema.parse({
          name: test.name,
          input_variables: { ...test.vars, ...storedVars(vars), __prompt: prompt },
          expected_output: test.expectedOutput,
          assertions: test.assertions,
        }),
      ]);
      allTests.set(id, test);
      const run = await embedded.engine.create(
        created.id,
        { models: [model], concurrency: 1, repeat: 1 },
        'ci',
      );
      await finished(run.id);
      return { runId: run.id, testCaseId: id, results: resultsOf.get(run.id) ?? [] };
    };
    if (plan.sequential) runs.push(...(await runInOrder(plan, { concurrency, repeat }, runStep)));
    for (const [cardIndex, card] of plan.cards.entries()) {
      if (card.models.length === 0 || plan.sequential) continue;
      // The prompt is rendered here (Nunjucks, as promptfoo), once per test: the embedded card
      // holds it as the variable `__prompt`, so the engine sends it as rendered.
      const created = await embedded.cards.createCard(
        cardInputSchema.parse({
          title: card.title,
          prompt_template: '{{__prompt}}',
          description: plan.description.slice(0, 10_000),
        }),
      );
      const ids = await embedded.cards.insertTestCases(
        created.id,
        plan.tests.map((t) =>
          testCaseInputSchema.parse({
            name: t.name,
            input_variables: { ...t.vars, __prompt: t.prompts[cardIndex] ?? '' },
            expected_output: t.expectedOutput,
            assertions: t.assertions,
          }),
        ),
      );
      const tests = new Map<string, PlannedTest>();
      ids.forEach((id, i) => {
        const test = plan.tests[i];
        if (test !== undefined) tests.set(id, test);
      });
      for (const [id, test] of tests) allTests.set(id, test);
      const run = await embedded.engine.create(
        created.id,
        { models: [...card.models], concurrency, repeat },
        'ci',
      );
      await finished(run.id);
      // Comparative assertions rewrite verdicts after the last result event (the engine grades
      // them at the run's end): the report reads those runs' results as stored.
      const results = compares
        ? await embedded.runs.allResults(run.id)
        : (resultsOf.get(run.id) ?? []);
      runs.push({ card, runId: run.id, tests, results });
    }
    progress.stop();
    return await concludeEval(plan, models, runs, options, log);
  } finally {
    unsubscribe();
    progress.stop();
    await embedded.close();
  }
}
