import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatValue, parseValue, valueEditor } from '../src/lib/assertion-value';
import { parseRoute, routeHref } from '../src/lib/hash-route';
import { templateDiff } from '../src/lib/template-diff';
import { deriveVariables, missingInputs, parseTags } from '../src/lib/variables';

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

describe('templateDiff', () => {
  it('marks removed and added lines between two templates', () => {
    assert.deepEqual(
      templateDiff('Greet {{name}}.\nBe brief.', 'Greet {{name}} from {{city}}.\nBe brief.'),
      [
        { kind: 'removed', text: 'Greet {{name}}.' },
        { kind: 'added', text: 'Greet {{name}} from {{city}}.' },
        { kind: 'same', text: 'Be brief.' },
      ],
    );
  });
});
