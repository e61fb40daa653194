/**
 * The API's shapes as the UI reads them: generated from docs/openapi.json (./generated.ts,
 * written by `npm run generate:openapi`, checked for drift in CI) under the UI's names; only the
 * generic page and the WebSocket events, which the OpenAPI document does not describe, are
 * written here.
 */
import type * as G from './generated';

export type Card = G.PromptCard;
export type CardInput = G.PromptCardInput;
export type TestCase = G.TestCase;
export type TestCaseInput = G.TestCaseInput;
export type AssertionSpec = TestCase['assertions'][number];
export type TemplateValue = TestCase['input_variables'][string];
export type Run = G.Run;
export type RunStatus = Run['status'];
export type RunProgress = G.RunProgress;
export type ModelSummary = G.ModelSummary;
export type RunResult = G.RunResult;
export type AssertionResult = G.AssertionResult;
export type ProviderModels = G.ProviderModels;
export type AssertionType = G.AssertionType;
export type Rating = G.Rating;
export type Agreement = G.JudgeAgreement;
export type StoredAlert = G.StoredAlert;
export type RunComparison = G.RunComparison;
export type ModelComparison = RunComparison['models'][number];

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  /** Send as `after` for the next page; null at the end. */
  next: string | null;
}

/** Events of `/ws` (src/runs/progress-socket.ts). */
export type RunEvent =
  | { type: 'subscribed'; run_id: string; run: Run }
  | { type: 'run.started'; run_id: string; run: Run }
  | { type: 'result'; run_id: string; result: RunResult }
  | { type: 'run.finished'; run_id: string; run: Run }
  | { type: 'error'; run_id?: string; message: string };
