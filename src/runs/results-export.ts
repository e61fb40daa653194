/**
 * Streams a run's results as JSONL (one result object per line) or CSV (one row per result,
 * assertion results as a JSON cell), page by page with backpressure: memory stays flat for a
 * 100,000-result run, and a client that goes away stops the reading.
 */
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { RunResult } from './run-schema.js';
import type { RunStore } from './run-store.js';

export type ExportFormat = 'jsonl' | 'csv';

const PAGE = 500;

export const RESULT_CSV_COLUMNS = [
  'id',
  'run_id',
  'test_case_id',
  'model',
  'repetition',
  'passed',
  'score',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'error_type',
  'error_message',
  'output',
  'rendered_prompt',
  'assertions',
  'simulated',
  'attempts',
  'created_at',
] as const;

function csvRows(results: readonly RunResult[]): string {
  return stringify(
    results.map((r) => [
      r.id,
      r.run_id,
      r.test_case_id,
      r.model,
      r.repetition,
      r.passed,
      r.score,
      r.latency_ms,
      r.input_tokens,
      r.output_tokens,
      r.cost_usd,
      r.error?.type ?? '',
      r.error?.message ?? '',
      r.output ?? '',
      r.rendered_prompt,
      JSON.stringify(r.assertions),
      r.simulated,
      r.attempts,
      r.created_at,
    ]),
    { cast: { boolean: (b) => (b ? 'true' : 'false') } },
  );
}

/** Writes every result of `runId` to `res`; the caller has checked that the run exists. */
export async function streamResults(
  runs: RunStore,
  runId: string,
  format: ExportFormat,
  res: Response,
): Promise<void> {
  res.status(200);
  res.setHeader(
    'content-type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
  );
  res.setHeader('content-disposition', `attachment; filename="run-${runId}.${format}"`);
  if (format === 'csv') res.write(stringify([[...RESULT_CSV_COLUMNS]]));
  let cursor: { created_at: string; id: string } | undefined;
  for (;;) {
    if (res.destroyed) return;
    const page = await runs.resultsAfter(runId, cursor, PAGE);
    if (page.length === 0) break;
    const chunk =
      format === 'csv' ? csvRows(page) : page.map((r) => JSON.stringify(r)).join('\n') + '\n';
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    const last = page[page.length - 1];
    if (last === undefined || page.length < PAGE) break;
    cursor = { created_at: last.created_at, id: last.id };
  }
  res.end();
}
