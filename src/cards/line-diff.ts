/**
 * A line diff of two templates under a budget. The common first and last lines are matched in
 * linear time; in the changed middle, the lines found on both sides are aligned with Myers'
 * O(N·D) algorithm (jsdiff's `diffArrays` over interned line numbers, so each comparison is
 * O(1)), stopped after `maxEditLines` edits or `deadlineMs` of wall-clock time on the event
 * loop. Past either limit the middle is shown as one block, every old line removed then every
 * new line added: still a correct diff (applying it turns the old template into the new one),
 * only not the shortest, and marked `exact: false`. Templates are at most 100,000 characters, so the answer is bounded
 * too. The former O(n·m) table aborted a 512 MB heap on two 73 KB templates.
 */
import { diffArrays } from 'diff';

export interface DiffLine {
  readonly op: 'keep' | 'remove' | 'add';
  readonly text: string;
}

export interface LineDiff {
  /** Old lines as `remove`, new lines as `add`, shared lines as `keep`, in template order. */
  readonly lines: DiffLine[];
  /** False when the budget ran out and the changed middle is shown as one replaced block. */
  readonly exact: boolean;
}

export interface DiffBudget {
  /** Most removed plus added shared lines the aligner looks for before giving up (Myers' D). */
  readonly maxEditLines: number;
  /** Most milliseconds the aligner may hold the event loop. */
  readonly deadlineMs: number;
}

/**
 * 500 edits keep jsdiff's work near 500² diagonal steps (about 15 ms here; 1,000 took 120–300
 * ms); the deadline caps it on a slower or busier machine, so the event loop is never held much
 * past 40 ms. Figures: bench/README.md (`npm run bench:version-diff`).
 */
export const DIFF_BUDGET: DiffBudget = { maxEditLines: 500, deadlineMs: 40 };

/** Diffs `before` (old, shown as removed) against `after` (new, shown as added), by line. */
export function lineDiff(before: string, after: string, budget = DIFF_BUDGET): LineDiff {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let endA = a.length;
  let endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const lines: DiffLine[] = a.slice(0, head).map((text) => ({ op: 'keep', text }));
  const middle = alignMiddle(a.slice(head, endA), b.slice(head, endB), budget);
  for (const line of middle.lines) lines.push(line);
  for (const text of a.slice(endA)) lines.push({ op: 'keep', text });
  return { lines, exact: middle.exact };
}

function alignMiddle(a: string[], b: string[], budget: DiffBudget): LineDiff {
  const coarse = (exact: boolean): LineDiff => ({
    lines: [
      ...a.map((text): DiffLine => ({ op: 'remove', text })),
      ...b.map((text): DiffLine => ({ op: 'add', text })),
    ],
    exact,
  });
  // A line found on one side only is an edit in every shortest diff, so only the lines both
  // sides share are aligned (GNU diff discards such lines the same way); the common case of
  // lines edited in place then costs no alignment at all.
  const inA = new Set(a);
  const inB = new Set(b);
  const sharedA = indicesOf(a, inB);
  const sharedB = indicesOf(b, inA);
  if (sharedA.length === 0 || sharedB.length === 0) return coarse(true);
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const changes = diffArrays(
    sharedA.map((i) => idOf(a[i] ?? '')),
    sharedB.map((j) => idOf(b[j] ?? '')),
    { maxEditLength: budget.maxEditLines, timeout: budget.deadlineMs },
  );
  if (changes === undefined) return coarse(false);
  const lines: DiffLine[] = [];
  let i = 0; // next line of `a` not yet shown
  let j = 0;
  let x = 0; // next shared line of `a` not yet consumed by a change
  let y = 0;
  const upTo = (endA: number, endB: number): void => {
    while (i < endA) lines.push({ op: 'remove', text: a[i++] ?? '' });
    while (j < endB) lines.push({ op: 'add', text: b[j++] ?? '' });
  };
  for (const change of changes)
    if (change.removed) x += change.count;
    else if (change.added) y += change.count;
    else
      for (let k = 0; k < change.count; k++) {
        upTo(sharedA[x++] ?? a.length, sharedB[y++] ?? b.length);
        lines.push({ op: 'keep', text: a[i++] ?? '' });
        j++;
      }
  upTo(a.length, b.length);
  return { lines, exact: true };
}

/** Positions of the lines of `lines` that `other` contains. */
function indicesOf(lines: readonly string[], other: ReadonlySet<string>): number[] {
  const out: number[] = [];
  lines.forEach((line, i) => {
    if (other.has(line)) out.push(i);
  });
  return out;
}
