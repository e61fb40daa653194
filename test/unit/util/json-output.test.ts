import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonOutput, unwrapCodeFence } from '../../../src/util/json-output.js';

const value = (output: string) => {
  const parsed = parseJsonOutput(output);
  return parsed.ok ? parsed.value : `error: ${parsed.error}`;
};

describe('JSON output in a code fence', () => {
  it('unwraps every fence form CommonMark allows', () => {
    for (const output of [
      '```json\n{"a":1}\n```',
      '````json\n{"a":1}\n````',
      '`````\n{"a":1}\n`````',
      '~~~\n{"a":1}\n~~~',
      '~~~~ json\n{"a":1}\n~~~~',
      '```JSON {.numberLines}\n{"a":1}\n```',
      '```json\n{"a":1}\n`````', // a longer closing fence closes
      '```json\n{"a":1}\n```   ', // trailing spaces after the closing fence
      '   ```json\n   {"a":1}\n   ```', // indented fence: content loses the same indentation
      '```json\r\n{"a":1}\r\n```', // CRLF line endings
      '```json\n{"a":1}', // no closing fence: the block runs to the end
      '\n\n```json\n{"a":1}\n```\n\n', // blank lines around
    ]) {
      assert.deepEqual(value(output), { a: 1 }, JSON.stringify(output));
    }
  });

  it('keeps a shorter or different fence inside the block as content', () => {
    assert.equal(unwrapCodeFence('````\n```\nx\n```\n````'), '```\nx\n```');
    assert.equal(unwrapCodeFence('~~~\n```\nx\n~~~'), '```\nx');
  });

  it('does not unwrap what is not one fenced block', () => {
    assert.equal(unwrapCodeFence('``json\n{}\n``'), undefined, 'two backticks are not a fence');
    assert.equal(
      unwrapCodeFence('    ```\n{}\n```'),
      undefined,
      'four spaces is code, not a fence',
    );
    assert.equal(
      unwrapCodeFence('```js`x\n{}\n```'),
      undefined,
      'backtick in a backtick info string',
    );
    assert.equal(unwrapCodeFence('```\n{}\n```\ntext after'), undefined);
    assert.match(String(value('```json\n{"a":1}\n```\n```json\n{"b":2}\n```')), /^error/);
  });

  it('parses unfenced JSON as it is', () => {
    assert.deepEqual(value(' {"a":[1,2]} '), { a: [1, 2] });
    assert.match(String(value('not json')), /^error/);
  });
});
