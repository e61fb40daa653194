/**
 * `prompt-cards eval --server URL`: the suite as runs on a service, so CI runs land in its
 * history, metrics, alerts and comparisons. The suite is planned and checked as a local eval's
 * (plus serverIssues: exit 2 naming each feature only the local engine runs, before anything
 * is written), pushed (push-command.ts: a card per prompt, its test cases the suite's tests),
 * one run started per card with the suite's models, repeat and concurrency (answer cache off,
 * as locally), each polled until it ends, its results read from `results.jsonl`, and then the
 * same summary, `-o` reports and exit code as a local eval (eval-conclusion.ts).
 * Ctrl-C (SIGINT/SIGTERM) cancels the runs on the service and exits 130. A run the service
 * fails or someone else cancels is exit 2. 429/503 are retried after Retry-After.
 */
import type { RunResult } from '../runs/index.js';
import { testCaseName, type PlannedTest } from '../suites/index.js';
import { concludeEval } from './eval-conclusion.js';
import { visible } from './terminal-text.js';
import { loadEvalPlan, type EvalOptions } from './eval-command.js';
import type { EvalReport, RunOfCard } from './eval-report.js';
import { pushPlan } from './push-command.js';
import { CommandError, shownUrl } from './server-commands.js';
import { serverIssues, serviceModelOf } from './server-suite.js';
import { refusal, serviceCall, type Service } from './service-client.js';

export interface ServerEvalOptions extends EvalOptions {
  /** The service, e.g. http://127.0.0.1:3001. */
  readonly server: string;
  readonly apiKey?: string;
  /** Milliseconds between two status reads of a run (default 500). */
  readonly pollMs?: number;
}

/** The exit code of an eval interrupted by Ctrl-C (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

interface StartedRun {
  readonly cardIndex: number;
  readonly runId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test cases of a card on the service: id → planned test, matched by stable key. */
async function testCasesOf(
  service: Service,
  cardId: string,
  tests: readonly PlannedTest[],
): Promise<Map<string, PlannedTest>> {
  const byName = new Map(tests.map((t) => [testCaseName(t), t]));
  const found = new Map<string, PlannedTest>();
  let after: string | null = null;
  do {
    const query: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const res = await serviceCall(
      service,
      'GET',
      `/prompt-cards/${cardId}/test-cases?limit=100${query}`,
    );
    if (res.status !== 200) throw refusal('listing the test cases', res);
    const page = res.body as { items: { id: string; name: string }[]; next: string | null };
    for (const item of page.items) {
      const test = byName.get(item.name);
      if (test !== undefined) found.set(item.id, test);
    }
    after = page.next;
  } while (after !== null);
  // Ordered as the suite, as the local report is.
  const order = new Map(tests.map((t, i) => [t, i]));
  return new Map([...found].sort((a, b) => (order.get(a[1]) ?? 0) - (order.get(b[1]) ?? 0)));
}

async function resultsOf(service: Service, runId: string): Promise<RunResult[]> {
  const res = await serviceCall(service, 'GET', `/runs/${runId}/results.jsonl`);
  if (res.status !== 200) throw refusal(`reading the results of run ${runId}`, res);
  return res.text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RunResult);
}

/** Polls a run until it is no longer queued or running; resolves to its final status. */
async function untilDone(
  service: Service,
  runId: string,
  pollMs: number,
  stopped: () => boolean,
): Promise<string> {
  for (;;) {
    const res = await serviceCall(service, 'GET', `/runs/${runId}`);
    if (res.status !== 200) throw refusal(`reading run ${runId}`, res);
    const status = (res.body as { status: string }).status;
    if ((status !== 'queued' && status !== 'running') || stopped()) return status;
    await sleep(pollMs);
  }
}

export async function serverEvalCommand(
  options: ServerEvalOptions,
): Promise<{ code: number; report: EvalReport | undefined }> {
  const sink = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Every summary line carries text of the suite or the models: escaped before it is printed.
  const log = (line: string) => sink(visible(line));
  const plan = await loadEvalPlan(options);
  const issues = serverIssues(plan, options);
  if (issues.length > 0)
    throw new CommandError(
      `${options.config}: cannot run on the service as it runs locally (nothing was pushed):\n${issues.map((i) => `  ${i}`).join('\n')}`,
    );
  const service: Service = { url: options.server, apiKey: options.apiKey };
  const cardIds = await pushPlan(service, plan, log);
  const modelOf = new Map(plan.providers.map((p) => [p.modelId, serviceModelOf(p)]));
  const suiteModelOf = new Map(plan.providers.map((p) => [serviceModelOf(p), p.modelId]));
  const started: StartedRun[] = [];
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const [cardIndex, card] of plan.cards.entries()) {
      if (card.models.length === 0 || interrupted) continue;
      const res = await serviceCall(
        service,
        'POST',
        `/prompt-cards/${cardIds.get(card.key) ?? ''}/runs`,
        JSON.stringify({
          models: card.models.map((m) => modelOf.get(m) ?? m),
          concurrency: options.concurrency ?? plan.concurrency,
          repeat: options.repeat ?? plan.repeat,
          cache: false,
        }),
      );
      if (res.status !== 202) throw refusal(`starting a run of "${card.title}"`, res);
      const runId = (res.body as { id: string }).id;
      started.push({ cardIndex, runId });
      log(`run ${runId} of "${card.title}" started on ${shownUrl(options.server)}`);
    }
    const runs: RunOfCard[] = [];
    for (const run of started) {
      const status = await untilDone(service, run.runId, options.pollMs ?? 500, () => interrupted);
      if (interrupted) break;
      if (status !== 'completed')
        throw new CommandError(`run ${run.runId} ended ${status} on the service`);
      const card = plan.cards[run.cardIndex];
      if (card === undefined) continue;
      const tests = await testCasesOf(service, cardIds.get(card.key) ?? '', plan.tests);
      const results = (await resultsOf(service, run.runId)).map((r) => ({
        ...r,
        model: suiteModelOf.get(r.model) ?? r.model,
      }));
      runs.push({ card, runId: run.runId, tests, results });
    }
    if (interrupted) {
      for (const run of started) {
        const res = await serviceCall(service, 'POST', `/runs/${run.runId}/cancel`);
        // 409: it had already ended.
        if (res.status !== 200 && res.status !== 409) throw refusal(`cancelling ${run.runId}`, res);
      }
      process.stderr.write(
        started.length === 0
          ? 'interrupted before any run started\n'
          : `interrupted: run(s) ${started.map((r) => r.runId).join(', ')} cancelled on the service\n`,
      );
      return { code: INTERRUPTED_EXIT_CODE, report: undefined };
    }
    const models = plan.providers.map((p) => p.modelId);
    return await concludeEval(plan, models, runs, options, log);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
