import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitReasoning, withoutThinking } from '../../../src/providers/index.js';

describe('reasoning blocks', () => {
  it('takes a <think> block out before the answer', () => {
    assert.deepEqual(splitReasoning('<think>\nJSON, then.\n</think>\n\n{"a": 1}'), {
      output: '{"a": 1}',
      reasoning: 'JSON, then.',
    });
  });

  it('takes every block, <thinking> and <reasoning> too, in order', () => {
    const split = splitReasoning('<thinking>one</thinking>A <REASONING>two</REASONING>B');
    assert.equal(split.output, 'A B');
    assert.equal(split.reasoning, 'one\n\ntwo');
  });

  it('treats text before a lone closing tag as reasoning (template-opened block)', () => {
    assert.deepEqual(splitReasoning('The user wants JSON.\n</think>\n{"a": 1}'), {
      output: '{"a": 1}',
      reasoning: 'The user wants JSON.',
    });
  });

  it('makes an unclosed opening block all reasoning (cut off while thinking)', () => {
    assert.deepEqual(splitReasoning('<think>still thinking about'), {
      output: '',
      reasoning: 'still thinking about',
    });
  });

  it('leaves an output without blocks as it is, whitespace included', () => {
    assert.deepEqual(splitReasoning('  plain answer\n'), {
      output: '  plain answer\n',
      reasoning: undefined,
    });
    assert.equal(splitReasoning('a < think > b').reasoning, undefined);
  });

  it('joins inline reasoning to what the server sent apart', () => {
    const call = withoutThinking({
      output: '<think>b</think>ok',
      reasoning: 'a',
      finishReason: 'stop',
    });
    assert.deepEqual(call, { output: 'ok', reasoning: 'a\n\nb', finishReason: 'stop' });
  });
});
