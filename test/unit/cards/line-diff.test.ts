/**
 * The version diff is bounded: past its edit budget or deadline it shows the changed middle as
 * one replaced block (still a correct diff) instead of building an n×m table, which aborted a
 * 512 MB heap on two 73 KB templates. Timings are in bench/version-diff.ts, not here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIFF_BUDGET, lineDiff, type DiffLine } from '../../../src/cards/line-diff.js';

const side = (lines: DiffLine[], drop: DiffLine['op']): string =>
  lines
    .filter((l) => l.op !== drop)
    .map((l) => l.text)
    .join('\n');
const edits = (lines: DiffLine[]): number => lines.filter((l) => l.op !== 'keep').length;

/** The shortest edit count, by the textbook O(n·m) table (fine for the small inputs here). */
function shortestEdits(a: string[], b: string[]): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] ?? 0;
      row[j] = a[i - 1] === b[j - 1] ? diagonal : Math.min(up, row[j - 1] ?? 0) + 1;
      diagonal = up;
    }
  }
  return row[b.length] ?? 0;
}

/** A deterministic pseudo-random template of `n` lines drawn from `alphabet` words. */
function template(seed: number, n: number, alphabet: number): string[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return `w${x % alphabet}`;
  });
}

/** 100,000 characters of lines that all differ between the two sides. */
const unique = (prefix: string): string =>
  Array.from({ length: 20_000 }, (_, i) => `${prefix}${i}`)
    .join('\n')
    .slice(0, 100_000);

describe('lineDiff', () => {
  it('reads from the old template (removed lines) to the new one (added lines)', () => {
    assert.deepEqual(lineDiff('Hello {{name}}\nBye', 'Hi {{name}} from {{city}}\nBye'), {
      lines: [
        { op: 'remove', text: 'Hello {{name}}' },
        { op: 'add', text: 'Hi {{name}} from {{city}}' },
        { op: 'keep', text: 'Bye' },
      ],
      exact: true,
    });
  });

  it('finds a shortest diff within the budget (against the O(n·m) table on random templates)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const a = template(seed, 30 + (seed % 7), 4 + (seed % 5));
      const b = template(seed * 31, 25 + (seed % 11), 4 + (seed % 5));
      // No deadline: this is about the shortest diff; on a loaded machine 40 ms of wall clock can
      // pass in a preemption, which is the deadline's job to cut (tested below), not this test's.
      const diff = lineDiff(a.join('\n'), b.join('\n'), {
        maxEditLines: 500,
        deadlineMs: Number.POSITIVE_INFINITY,
      });
      assert.equal(diff.exact, true, `seed ${seed}`);
      assert.equal(side(diff.lines, 'add'), a.join('\n'), `seed ${seed}: old side`);
      assert.equal(side(diff.lines, 'remove'), b.join('\n'), `seed ${seed}: new side`);
      assert.equal(edits(diff.lines), shortestEdits(a, b), `seed ${seed}: edit count`);
    }
  });

  it('aligns up to maxEditLines edits of shared lines and shows more as one replaced block', () => {
    const budget = { maxEditLines: 2, deadlineMs: Number.POSITIVE_INFINITY };
    // p and q swap places: one of them is removed and added again, 2 edits.
    const within = lineDiff('head\np\nq\nold\ntail', 'head\nq\np\nnew\ntail', budget);
    assert.equal(within.exact, true);
    assert.equal(edits(within.lines), 4);
    const past = lineDiff('head\np\nq\nr\ntail', 'head\nr\nq\np\ntail', budget);
    assert.equal(past.exact, false);
    assert.deepEqual(past.lines, [
      { op: 'keep', text: 'head' },
      ...['p', 'q', 'r'].map((text) => ({ op: 'remove', text })),
      ...['r', 'q', 'p'].map((text) => ({ op: 'add', text })),
      { op: 'keep', text: 'tail' },
    ]);
  });

  it('stops aligning at the deadline', () => {
    const diff = lineDiff('a\np\nq\nc', 'a\nq\np\nc', { maxEditLines: 100, deadlineMs: -1 });
    assert.equal(diff.exact, false);
    assert.deepEqual(
      diff.lines.map((l) => `${l.op} ${l.text}`),
      ['keep a', 'remove p', 'remove q', 'add q', 'add p', 'keep c'],
    );
  });

  it('needs no alignment where no line is shared: every old line removed, every new one added', () => {
    const diff = lineDiff('a\nb\nc', 'a\nx\nc', { maxEditLines: 0, deadlineMs: -1 });
    assert.equal(diff.exact, true);
    assert.deepEqual(
      diff.lines.map((l) => `${l.op} ${l.text}`),
      ['keep a', 'remove b', 'add x', 'keep c'],
    );
  });

  it('cuts two 100,000-character templates of the same lines reordered, still a correct diff', () => {
    const before = unique('line ');
    const after = before.split('\n').reverse().join('\n');
    const diff = lineDiff(before, after);
    assert.equal(diff.exact, false);
    assert.equal(side(diff.lines, 'add'), before);
    assert.equal(side(diff.lines, 'remove'), after);
    const firstAdd = diff.lines.findIndex((l) => l.op === 'add');
    assert.ok(
      diff.lines.slice(firstAdd).every((l) => l.op !== 'remove'),
      'removed, then added',
    );
  });

  it('diffs two 100,000-character templates whose lines all differ exactly, with no alignment', () => {
    const before = unique('old ');
    const after = unique('new ');
    const diff = lineDiff(before, after, { maxEditLines: 0, deadlineMs: -1 });
    assert.equal(diff.exact, true);
    assert.equal(side(diff.lines, 'add'), before);
    assert.equal(side(diff.lines, 'remove'), after);
    const firstAdd = diff.lines.findIndex((l) => l.op === 'add');
    assert.ok(
      diff.lines.slice(firstAdd).every((l) => l.op !== 'remove'),
      'removed, then added',
    );
  });

  it('diffs a 100,000-character single line, a pure insertion and a pure deletion exactly', () => {
    const long = 'x'.repeat(99_999);
    assert.deepEqual(lineDiff(`${long}a`, `${long}b`), {
      lines: [
        { op: 'remove', text: `${long}a` },
        { op: 'add', text: `${long}b` },
      ],
      exact: true,
    });
    const grown = lineDiff('a', `a\n${unique('new ')}`);
    assert.equal(grown.exact, true);
    assert.equal(edits(grown.lines), unique('new ').split('\n').length);
    assert.equal(lineDiff(unique('old '), '').exact, true);
  });

  it('keeps its budget small enough for the event loop', () => {
    assert.ok(DIFF_BUDGET.maxEditLines <= 500 && DIFF_BUDGET.deadlineMs <= 50);
  });
});
