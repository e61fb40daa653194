/**
 * `eval --baseline previous.json`: compares this evaluation with the JSON report of an earlier
 * one (`-o results.json`), pairing results by prompt, test key and model, with the same test
 * as the API (`compareRuns`).
 */
import { readFile } from 'node:fs/promises';
import {
  compareRuns,
  type CaseChange,
  type ComparedResult,
  type ModelComparison,
} from '../runs/index.js';
import type { EvalReport, ReportRow } from './eval-report.js';
import { CommandError } from './server-commands.js';

const KEY_SEPARATOR = '\u0000';

/** A compared key (`prompt` NUL `test key`) as shown: `prompt › test key`. */
export function baselineCaseLabel(key: string): string {
  return key.split(KEY_SEPARATOR).join(' › ');
}

function compared(rows: readonly ReportRow[]): ComparedResult[] {
  return rows
    .filter((r) => r.verdict !== 'not_evaluated')
    .map((r) => ({
      key: `${r.prompt}${KEY_SEPARATOR}${r.test_key}`,
      model: r.model,
      passed: r.verdict === 'pass',
      score: r.score,
    }));
}

export async function compareWithBaseline(
  path: string,
  report: EvalReport,
  alpha: number,
): Promise<{ models: ModelComparison[]; cases: CaseChange[] }> {
  let baseline: Partial<EvalReport>;
  try {
    baseline = JSON.parse(await readFile(path, 'utf8')) as Partial<EvalReport>;
  } catch (error) {
    throw new CommandError(`cannot read the baseline ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(baseline.rows))
    throw new CommandError(`${path} is not a prompt-cards JSON report (-o results.json)`);
  return compareRuns({
    baseline: compared(baseline.rows),
    candidate: compared(report.rows),
    baselineSummary: [],
    candidateSummary: [],
    alpha,
  });
}
