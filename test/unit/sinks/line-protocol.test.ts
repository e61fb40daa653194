import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toLine, uniqueNanos } from '../../../src/sinks/line-protocol.js';

describe('line protocol', () => {
  it('escapes measurements, tag keys and values, field keys and string fields as documented', () => {
    const line = toLine(
      {
        measurement: 'run result,x',
        tags: { 'prompt type': 'a=b,c d', model: 'ollama:llama3.1:8b', empty: '' },
        fields: { 'mean score': 0.5, note: 'say "hi" \\ bye', ok: true, cost_usd: null },
        timestamp: 1700000000123,
      },
      '1700000000123000001',
    );
    assert.equal(
      line,
      'run\\ result\\,x,model=ollama:llama3.1:8b,prompt\\ type=a\\=b\\,c\\ d ' +
        'mean\\ score=0.5,note="say \\"hi\\" \\\\ bye",ok=true 1700000000123000001',
    );
  });

  it('keeps a tag value with a backslash parseable: as is inside, dropped at the end', () => {
    const line = toLine(
      {
        measurement: 'm',
        tags: { a: 'tricky\\', b: 'back\\slash', c: 'x\\,y', d: '\\\\' },
        fields: { v: 1 },
        timestamp: 5,
      },
      '5000000',
    );
    assert.equal(line, 'm,a=tricky,b=back\\slash,c=x\\\\,y v=1 5000000');
  });

  it('leaves out non-finite numbers and writes nothing for a point without fields', () => {
    assert.equal(
      toLine(
        { measurement: 'm', tags: {}, fields: { a: NaN, b: Infinity, c: 1 }, timestamp: 5 },
        '5000000',
      ),
      'm c=1 5000000',
    );
    assert.equal(
      toLine({ measurement: 'm', tags: {}, fields: { a: null }, timestamp: 5 }),
      undefined,
    );
  });

  it('gives points of the same millisecond distinct nanosecond timestamps', () => {
    const a = uniqueNanos(1700000000123);
    const b = uniqueNanos(1700000000123);
    assert.notEqual(a, b);
    assert.equal(a.slice(0, 13), '1700000000123');
    assert.equal(a.length, 19);
  });
});
