/** The results table's filters: verdict, model and free text (test case name, output, error). */
import type { RunResult } from '../api/types';

export type Verdict = 'all' | 'passed' | 'failed' | 'errored';

export interface ResultFilter {
  verdict: Verdict;
  /** Empty = every model. */
  model: string;
  text: string;
}

export const NO_FILTER: ResultFilter = { verdict: 'all', model: '', text: '' };

export function verdictOf(result: RunResult): Exclude<Verdict, 'all'> {
  if (result.error !== null) return 'errored';
  return result.passed ? 'passed' : 'failed';
}

/** Results that match every filter, in their order; `names` maps test case ids to names. */
export function filterResults(
  results: readonly RunResult[],
  filter: ResultFilter,
  names: ReadonlyMap<string, string> = new Map(),
): RunResult[] {
  const text = filter.text.trim().toLowerCase();
  return results.filter((result) => {
    if (filter.verdict !== 'all' && verdictOf(result) !== filter.verdict) return false;
    if (filter.model !== '' && result.model !== filter.model) return false;
    if (text === '') return true;
    const haystack = [
      names.get(result.test_case_id) ?? '',
      result.test_case_id,
      result.output ?? '',
      result.error?.message ?? '',
      ...result.assertions.map((a) => a.reason),
    ];
    return haystack.some((field) => field.toLowerCase().includes(text));
  });
}
