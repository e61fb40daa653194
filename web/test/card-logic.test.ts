import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatValue, parseValue, valueEditor } from '../src/lib/assertion-value';
import { parseRoute, routeHref } from '../src/lib/hash-route';
import { deriveVariables, missingInputs, parseTags } from '../src/lib/variables';
import { coarseNote, defaultDiffPair, type VersionDiff } from '../src/lib/version-pair';

describe('deriveVariables', () => {
  it('lists each variable once in order, with spaces inside the braces, skipping escaped ones', () => {
    assert.deepEqual(
      deriveVariables('Hi {{name}} from {{ city }}, {{name}} \\{{literal}} {{9bad}}'),
      ['name', 'city'],
    );
  });
  it('names the inputs a test case lacks', () => {
    assert.deepEqual(missingInputs('{{a}} {{b}}', { a: 1 }), ['b']);
  });
  it('parses comma-separated tags, trimmed and once each', () => {
    assert.deepEqual(parseTags(' qa, greeting ,, qa'), ['qa', 'greeting']);
  });
});

describe('assertion values per kind', () => {
  it('edits length as min..max and reads either side alone', () => {
    assert.equal(valueEditor('length'), 'range');
    assert.deepEqual(parseValue('length', '1..200'), { value: { min: 1, max: 200 } });
    assert.deepEqual(parseValue('length', '..200'), { value: { max: 200 } });
    assert.equal(formatValue('length', { max: 200 }), '..200');
    assert.ok(parseValue('length', 'abc').error);
  });
  it('reads numbers, JSON and nothing for is-json', () => {
    assert.deepEqual(parseValue('latency', '1500'), { value: 1500 });
    assert.ok(parseValue('cost', 'x').error);
    assert.deepEqual(parseValue('json-schema', '{"type":"object"}'), { value: { type: 'object' } });
    assert.ok(parseValue('json-schema', '{').error);
    assert.deepEqual(parseValue('is-json', 'ignored'), {});
    assert.deepEqual(parseValue('icontains', 'Ada'), { value: 'Ada' });
  });
});

describe('hash routes', () => {
  it('round-trips every page', () => {
    for (const route of [
      { page: 'cards' },
      { page: 'card', cardId: 'a b' },
      { page: 'run', runId: 'r1' },
      { page: 'compare', base: 'r1', head: 'r2' },
      { page: 'operate' },
      { page: 'analytics' },
    ] as const) {
      assert.deepEqual(parseRoute(routeHref(route)), route);
    }
    assert.deepEqual(parseRoute('#/nonsense/x/y'), { page: 'cards' });
  });

  it('routes a malformed percent-encoding to the cards list instead of throwing', () => {
    for (const hash of ['#/runs/%ZZ', '#/cards/%E0%A4%A', '#/compare/%/r2', '#/runs/%'])
      assert.deepEqual(parseRoute(hash), { page: 'cards' }, hash);
  });
});

describe('defaultDiffPair', () => {
  it('diffs the version before the newest (old, removed) against the newest (new, added)', () => {
    // The server lists versions newest first; the pair must not follow the list's order.
    assert.deepEqual(defaultDiffPair([3, 2, 1]), [2, 3]);
    assert.deepEqual(defaultDiffPair([1, 3, 2]), [2, 3]);
  });

  it('shows a single version against itself and nothing without versions', () => {
    assert.deepEqual(defaultDiffPair([1]), [1, 1]);
    assert.equal(defaultDiffPair([]), null);
  });
});

describe('coarseNote', () => {
  const diff: VersionDiff = {
    from: 1,
    to: 2,
    lines: [],
    exact: true,
    max_edit_lines: 500,
    deadline_ms: 40,
    variables_added: [],
    variables_removed: [],
  };
  it('names the budgets when the server cut the alignment, and says nothing for an exact diff', () => {
    assert.equal(coarseNote(diff), null);
    assert.match(
      coarseNote({ ...diff, exact: false }) ?? '',
      /more than 500 changed lines or 40 ms/,
    );
  });
});
