/**
 * promptfoo's test filters of `eval`: `--filter-pattern <regex>` keeps the tests whose
 * description matches; `--filter-failing <report.json>` keeps the tests that failed or errored
 * in an earlier `-o report.json` (matched by the test's stable key, over every prompt and model).
 * Both together keep the tests that pass both.
 */
import { readFile } from 'node:fs/promises';
import type { SuitePlan } from '../suites/index.js';
import { CommandError } from './server-commands.js';

export interface TestFilters {
  readonly pattern?: RegExp;
  /** Path of an earlier JSON report. */
  readonly failing?: string;
}

/** The stable keys of the tests with a `fail` or `error` row in a JSON report (CommandError: exit 2). */
export async function failingKeys(path: string): Promise<Set<string>> {
  let rows: unknown;
  try {
    rows = (JSON.parse(await readFile(path, 'utf8')) as { rows?: unknown }).rows;
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'not JSON';
    throw new CommandError(`--filter-failing ${path}: cannot read the report (${reason})`);
  }
  if (!Array.isArray(rows))
    throw new CommandError(
      `--filter-failing ${path}: not a report of \`eval -o report.json\` (it has no "rows")`,
    );
  const keys = new Set<string>();
  for (const row of rows as { test_key?: unknown; verdict?: unknown }[])
    if (typeof row.test_key === 'string' && (row.verdict === 'fail' || row.verdict === 'error'))
      keys.add(row.test_key);
  return keys;
}

/** The plan with only the tests the filters keep (the plan itself without filters). */
export async function filterTests(plan: SuitePlan, filters: TestFilters): Promise<SuitePlan> {
  const { pattern, failing } = filters;
  if (pattern === undefined && failing === undefined) return plan;
  const keys = failing === undefined ? undefined : await failingKeys(failing);
  return {
    ...plan,
    tests: plan.tests.filter(
      (t) =>
        (pattern === undefined || pattern.test(t.name)) && (keys === undefined || keys.has(t.key)),
    ),
  };
}
