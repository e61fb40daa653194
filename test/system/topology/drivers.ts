/**
 * How the topology contract (contract.ts) drives a topology: through the HTTP API (one process,
 * or the API in front of workers), or through the CLI's embedded engine (the stores and engine
 * the `prompt-cards eval` command uses).
 */
import assert from 'node:assert/strict';
import { cardInputSchema, testCaseInputSchema } from '../../../src/cards/card-schema.js';
import type { EmbeddedEngine } from '../../../src/cli/embedded-engine.js';
import type { Run, RunResult } from '../../../src/runs/index.js';
import { request } from '../../support/test-server.js';

export interface CardSpec {
  readonly title: string;
  readonly template: string;
  readonly cases: readonly {
    readonly word: string;
    readonly expected?: string;
    /** This case's own assertions, instead of the card's. */
    readonly assertions?: readonly unknown[];
  }[];
  readonly assertions?: readonly unknown[];
  readonly passRateThreshold?: number;
}

export interface Driver {
  createCard(spec: CardSpec): Promise<string>;
  setTemplate(cardId: string, spec: CardSpec, template: string): Promise<void>;
  createRun(cardId: string, models: readonly string[], concurrency: number): Promise<string>;
  getRun(runId: string): Promise<Run | undefined>;
  results(runId: string): Promise<RunResult[]>;
}

const cardBody = (spec: CardSpec, template = spec.template) => ({
  title: spec.title,
  prompt_template: template,
  ...(spec.passRateThreshold === undefined ? {} : { pass_rate_threshold: spec.passRateThreshold }),
});
const caseBodies = (spec: CardSpec) =>
  spec.cases.map((c, i) => ({
    name: `case ${i}`,
    input_variables: { word: c.word },
    ...(c.expected === undefined ? {} : { expected_output: c.expected }),
    assertions: c.assertions ?? spec.assertions ?? [],
  }));

export function httpDriver(url: () => string): Driver {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await request(url(), method, path, body);
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
    return response.body;
  };
  return {
    async createCard(spec) {
      const card = (await call('POST', '/api/prompt-cards', cardBody(spec))) as { id: string };
      for (const body of caseBodies(spec))
        await call('POST', `/api/prompt-cards/${card.id}/test-cases`, body);
      return card.id;
    },
    async setTemplate(cardId, spec, template) {
      await call('PUT', `/api/prompt-cards/${cardId}`, cardBody(spec, template));
    },
    async createRun(cardId, models, concurrency) {
      const run = (await call('POST', `/api/prompt-cards/${cardId}/runs`, {
        models,
        concurrency,
      })) as { id: string };
      return run.id;
    },
    async getRun(runId) {
      return (await call('GET', `/api/runs/${runId}`)) as Run;
    },
    async results(runId) {
      return ((await call('GET', `/api/runs/${runId}/results?limit=500`)) as { items: RunResult[] })
        .items;
    },
  };
}

export function engineDriver(embedded: () => EmbeddedEngine): Driver {
  return {
    async createCard(spec) {
      const { cards } = embedded();
      const card = await cards.createCard(cardInputSchema.parse(cardBody(spec)));
      await cards.insertTestCases(
        card.id,
        caseBodies(spec).map((b) => testCaseInputSchema.parse(b)),
      );
      return card.id;
    },
    async setTemplate(cardId, spec, template) {
      await embedded().cards.updateCard(cardId, cardInputSchema.parse(cardBody(spec, template)));
    },
    async createRun(cardId, models, concurrency) {
      const run = await embedded().engine.create(
        cardId,
        { models: [...models], concurrency, repeat: 1 },
        'ci',
      );
      return run.id;
    },
    getRun: (runId) => embedded().runs.getRun(runId),
    async results(runId) {
      return (await embedded().runs.listResults(runId, { limit: 500, offset: 0 })).items;
    },
  };
}
