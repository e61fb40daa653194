/**
 * A run's results as files: JSONL (every field as the API gives it) or CSV (one row per result:
 * test case name, model, repetition, verdict, score, latency, tokens, cost, attempts, output,
 * error, and each assertion's verdict and reason joined by " | ").
 */
import Papa from 'papaparse';
import type { RunResult } from '../api/types';
import { verdictOf } from './result-filter';

export function resultsToJsonl(results: readonly RunResult[]): string {
  return results.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export function resultsToCsv(
  results: readonly RunResult[],
  names: ReadonlyMap<string, string>,
): string {
  const fields = [
    'test_case',
    'test_case_id',
    'model',
    'repetition',
    'verdict',
    'score',
    'latency_ms',
    'input_tokens',
    'output_tokens',
    'cost_usd',
    'attempts',
    'output',
    'error',
    'assertions',
  ];
  const data = results.map((r) => [
    names.get(r.test_case_id) ?? '',
    r.test_case_id,
    r.model,
    r.repetition,
    verdictOf(r),
    r.score,
    r.latency_ms,
    r.input_tokens ?? '',
    r.output_tokens ?? '',
    r.cost_usd ?? '',
    r.attempts,
    r.output ?? '',
    r.error === null ? '' : `${r.error.type}: ${r.error.message}`,
    r.assertions.map((a) => `${a.type} ${a.pass ? 'pass' : 'fail'}: ${a.reason}`).join(' | '),
  ]);
  return Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}
