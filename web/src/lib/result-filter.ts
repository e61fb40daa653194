/**
 * The results table's filters: verdict, model and free text (test case name, output, error).
 * A result nothing judged (`judged: false`) is `not_judged`, neither passed nor failed.
 */
import type { RunResult } from '../api/types';

export type Verdict = 'all' | 'passed' | 'failed' | 'errored' | 'not_judged';

export interface ResultFilter {
  verdict: Verdict;
  /** Empty = every model. */
  model: string;
  text: string;
}

export const NO_FILTER: ResultFilter = { verdict: 'all', model: '', text: '' };

export function verdictOf(result: RunResult): Exclude<Verdict, 'all'> {
  if (result.error !== null) return 'errored';
  // `=== false`: a server that predates the field judged every answer.
  if (result.judged === false) return 'not_judged';
  return result.passed ? 'passed' : 'failed';
}

/** The words shown for a verdict. */
export function verdictLabel(verdict: Verdict): string {
  return verdict === 'not_judged' ? 'not judged' : verdict;
}

/** The CSS class of a verdict: green passed, grey not judged, red otherwise. */
export function verdictClass(verdict: Verdict): 'pass' | 'fail' | 'muted' {
  if (verdict === 'passed') return 'pass';
  return verdict === 'not_judged' ? 'muted' : 'fail';
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
