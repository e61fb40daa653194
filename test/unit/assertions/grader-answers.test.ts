/**
 * How the model-graded kinds read their grader's answers, odd ones included (promptfoo's
 * readings: a JSON category or a leading "(A)", marked lines among preamble, verdicts after
 * the final-verdict line or counted, copied context units), without I/O.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readVerdicts } from '../../../src/assertions/context-faithfulness.js';
import { readRecallAnswer } from '../../../src/assertions/context-recall.js';
import { relevanceScore } from '../../../src/assertions/context-relevance.js';
import { readFactualityAnswer } from '../../../src/assertions/factuality.js';
import { lines, promptPart, sentences } from '../../../src/assertions/grader-conversation.js';

describe('grader answers of the model-graded kinds', () => {
  it('factuality: a JSON category in any case and text, or a leading (A); nothing else', () => {
    assert.deepEqual(readFactualityAnswer('Sure! {"category": " b ", "reason": "adds"} done'), {
      category: 'B',
      reason: 'adds',
    });
    assert.deepEqual(readFactualityAnswer('  (d) They disagree on the year.'), {
      category: 'D',
      reason: 'They disagree on the year.',
    });
    assert.equal(readFactualityAnswer('e) harmless')?.category, 'E');
    assert.equal(readFactualityAnswer('{"category": "F"}'), undefined);
    assert.equal(readFactualityAnswer('I think they agree.'), undefined);
  });

  it('context-recall: counts only marked lines, [Not Attributed] is not attributed', () => {
    assert.deepEqual(
      readRecallAnswer(
        'Here is my analysis:\n1. A. [Attributed]\n2. B. [NOT ATTRIBUTED]\n\n3. C. [attributed]',
      ),
      { total: 3, attributed: 2 },
    );
    assert.deepEqual(readRecallAnswer('I cannot tell.'), { total: 0, attributed: 0 });
  });

  it('context-faithfulness: verdicts after the final line, else counted; none is undefined', () => {
    assert.equal(
      readVerdicts(
        'Statement: a\nVerdict: No\nFinal verdict for each statement in order: Yes. No. Yes.',
        3,
      ),
      2,
    );
    assert.equal(
      readVerdicts('verdict: yes\nVERDICT: No', 3),
      1,
      'a missing verdict is unsupported',
    );
    assert.equal(readVerdicts('Final verdict for each statement in order: maybe.', 1), undefined);
    assert.equal(readVerdicts('All good.', 2), undefined);
    assert.equal(readVerdicts('Verdict: Yes\nVerdict: Yes\nVerdict: Yes', 2), 2, 'at most all');
  });

  it('context-relevance: units are chunks, lines or sentences; copies must quote the context', () => {
    const prose = {
      chunks: ['A is 1. B is 2. C is 3.'],
      text: 'A is 1. B is 2. C is 3.',
      chunked: false,
    };
    assert.deepEqual(relevanceScore(prose, 'A is 1. B is 2.'), { relevant: 2, total: 3 });
    assert.deepEqual(relevanceScore(prose, 'A is 1. A is 1.'), { relevant: 1, total: 3 });
    assert.deepEqual(relevanceScore(prose, 'Insufficient Information'), { relevant: 0, total: 3 });
    assert.equal(relevanceScore(prose, 'Nothing here is useful.'), undefined);
    const listed = { chunks: ['A is 1.', 'B is 2.'], text: 'A is 1.\n\nB is 2.', chunked: true };
    assert.deepEqual(relevanceScore(listed, '1. A is 1.\n- B is 2.\nB is 2.\nA is 1.'), {
      relevant: 2,
      total: 2,
    });
    const multiLine = { chunks: ['x'], text: 'A is 1.\nB is 2.\nC is 3.', chunked: false };
    assert.deepEqual(relevanceScore(multiLine, 'B is 2.'), { relevant: 1, total: 3 });
  });

  it('splits lines and sentences, and reads the parts of a several-template rubricPrompt', () => {
    assert.deepEqual(lines(' a \n\n b\n'), ['a', 'b']);
    assert.deepEqual(sentences('Pi is 3.14 here. Why? Yes!'), ['Pi is 3.14 here.', 'Why?', 'Yes!']);
    assert.equal(
      promptPart('{"steps": "S {{ criteria }}", "evaluate": "E"}', 'steps'),
      'S {{ criteria }}',
    );
    assert.equal(promptPart('["first", {"role": "user", "content": "second"}]', 1), 'second');
    assert.equal(
      promptPart('{"steps": [{"role": "user", "content": "x"}]}', 'steps'),
      '[{"role":"user","content":"x"}]',
    );
    assert.equal(promptPart('plain text', 'steps'), undefined);
    assert.equal(promptPart(undefined, 0), undefined);
  });
});
