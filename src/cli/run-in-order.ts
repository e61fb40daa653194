/**
 * The tests of a suite that depend on earlier answers (promptfoo's `storeOutputAs`,
 * `_conversation`: suites/sequential.ts), run in file order on the embedded engine.
 * Every prompt × model × repetition is one chain: its tests run one after another, each
 * rendered with the answers the chain's earlier tests stored and the earlier turns of its
 * conversation; the chains are independent and run `concurrency` at a time. Each step is a
 * run of its own (one card with one test case, one model): a prompt can be rendered only once
 * the answer before it is known. Returns one RunOfCard per step, ordered as the report lists
 * rows (prompt, test, model, repetition).
 */
import type { RunResult } from '../runs/index.js';
import {
  conversationTurn,
  renderTurn,
  type ConversationTurn,
  type PlannedCard,
  type PlannedTest,
  type SuitePlan,
} from '../suites/index.js';
import type { RunOfCard } from './eval-report.js';

/** Runs one rendered test with one model once; resolves to its run and stored results. */
export type RunStep = (
  card: PlannedCard,
  test: PlannedTest,
  vars: Readonly<Record<string, unknown>>,
  prompt: string,
  model: string,
) => Promise<{
  readonly runId: string;
  readonly testCaseId: string;
  readonly results: RunResult[];
}>;

interface Chain {
  readonly card: PlannedCard;
  readonly cardIndex: number;
  readonly model: string;
  readonly modelIndex: number;
  readonly repetition: number;
}

interface Step {
  readonly order: readonly number[];
  readonly run: RunOfCard;
}

async function runChain(plan: SuitePlan, chain: Chain, runStep: RunStep): Promise<Step[]> {
  const registers: Record<string, string> = {};
  const conversations = new Map<string, ConversationTurn[]>();
  const steps: Step[] = [];
  for (const [testIndex, test] of plan.tests.entries()) {
    const thread = conversations.get(test.conversationId ?? '') ?? [];
    const turn = renderTurn(chain.card.template, test, registers, thread, plan.filters);
    const done = await runStep(chain.card, test, turn.vars, turn.prompt, chain.model);
    const result = done.results[0];
    const output = result?.output ?? null;
    // promptfoo keeps an answer only when there is one; a turn is added for every call.
    if (test.storeOutputAs !== undefined && output !== null && output !== '')
      registers[test.storeOutputAs] = output;
    if (chain.card.readsConversation && !test.disableConversationVar)
      conversations.set(test.conversationId ?? '', [
        ...thread,
        conversationTurn(turn.prompt, output),
      ]);
    steps.push({
      order: [chain.cardIndex, testIndex, chain.modelIndex, chain.repetition],
      run: {
        card: chain.card,
        runId: done.runId,
        tests: new Map([[done.testCaseId, test]]),
        results: done.results.map((r) => ({ ...r, repetition: chain.repetition })),
      },
    });
  }
  return steps;
}

/** Runs every chain of the plan, `concurrency` chains at a time. */
export async function runInOrder(
  plan: SuitePlan,
  options: { readonly concurrency: number; readonly repeat: number },
  runStep: RunStep,
): Promise<RunOfCard[]> {
  const chains: Chain[] = [];
  for (const [cardIndex, card] of plan.cards.entries())
    for (const [modelIndex, model] of card.models.entries())
      for (let repetition = 0; repetition < options.repeat; repetition += 1)
        chains.push({ card, cardIndex, model, modelIndex, repetition });
  const steps: Step[] = [];
  let next = 0;
  const worker = async () => {
    for (let chain = chains[next++]; chain !== undefined; chain = chains[next++])
      steps.push(...(await runChain(plan, chain, runStep)));
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, chains.length)) }, worker),
  );
  const compare = (a: Step, b: Step) => {
    for (let i = 0; i < a.order.length; i += 1) {
      const d = (a.order[i] ?? 0) - (b.order[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  return steps.sort(compare).map((s) => s.run);
}
