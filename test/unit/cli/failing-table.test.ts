import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import stringWidth from 'string-width';
import type { ReportRow } from '../../../src/cli/eval-report.js';
import { failingTable } from '../../../src/cli/failing-table.js';
import { visible } from '../../../src/cli/terminal-text.js';
import { cutToWidth } from '../../../src/cli/terminal-width.js';

function row(test: string, model: string, reason: string): ReportRow {
  return {
    prompt: 'p',
    test_key: test,
    test,
    model,
    repetition: 1,
    verdict: 'fail',
    score: 0,
    latency_ms: 1,
    cost_usd: null,
    output: reason,
    error: null,
    assertions: [{ type: 'contains', pass: false, score: 0, weight: 1, reason }],
    not_evaluated: [],
    run_id: 'r',
  };
}

// Nothing a terminal acts on: C0/C1 controls, DEL, bidi controls, line separators.
const ACTIVE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('the failing-tests table on a terminal', () => {
  it('escapes ESC sequences, CR and bidi overrides from outputs visibly', () => {
    const lines = failingTable([
      row('t1', 'm', 'Output \u001b[2J\u001b]0;owned\u0007 said \rPASS'),
      row('t2 \u202edecoy\u202c', 'm\u2066x\u2069', 'a\u200fb\u0085c\u061cd\u2028e'),
    ]);
    for (const line of lines) assert.doesNotMatch(line, ACTIVE, JSON.stringify(line));
    const text = lines.join('\n');
    assert.match(text, /Output \\x1b\[2J\\x1b\]0;owned\\x07 said PASS/);
    // CR and U+2028 are whitespace: collapsed to one space like newlines, they cannot rewrite a line.
    assert.match(text, /d e$/);
    assert.match(text, /t2 \\u202edecoy\\u202c/);
    assert.match(text, /m\\u2066x\\u2069/);
    assert.match(text, /a\\u200fb\\x85c\\u061cd/);
  });

  it('aligns columns by display width with CJK and emoji cells', () => {
    const lines = failingTable([
      row('日本語のテスト', '模型', 'r1'),
      row('ascii test', 'model-b', 'r2'),
      row('👍🏽 thumbs 👨‍👩‍👧', 'm', 'r3'),
    ]);
    const body = lines.slice(1);
    // The reason column starts at the same display column on every line.
    const reasonColumn = (line: string, reason: string) =>
      stringWidth(line.slice(0, line.indexOf(`  ${reason}`)));
    const header = reasonColumn(body[0] ?? '', 'reason');
    assert.deepEqual(
      ['r1', 'r2', 'r3'].map((r, i) => reasonColumn(body[i + 1] ?? '', `contains: ${r}`)),
      [header, header, header],
      body.join('\n'),
    );
  });

  it('cuts by display columns and never splits a grapheme', () => {
    assert.equal(cutToWidth('日本語日本語', 7), '日本語…');
    assert.equal(stringWidth(cutToWidth('日本語日本語', 7)), 7);
    assert.equal(cutToWidth('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 4), '👨‍👩‍👧…');
    assert.equal(cutToWidth('short', 10), 'short');
    assert.equal(visible('plain ü 日本'), 'plain ü 日本');
  });
});
