/**
 * promptfoo's reference-text metrics: `levenshtein`, `rouge-n`, `bleu`, `gleu`, `meteor`. The
 * expected scores are worked out by hand from the published formulas (see each case).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertionSpecSchema } from '../../../src/assertions/index.js';
import { checkAssertion } from '../../support/assertion-check.js';
import { bleuScore } from '../../../src/assertions/bleu.js';
import { gleuScore } from '../../../src/assertions/gleu.js';
import { meteorScore } from '../../../src/assertions/meteor.js';

async function check(spec: Record<string, unknown>, output: string) {
  const result = await checkAssertion(spec, output);
  assert.equal(result.error, undefined, result.reason);
  return result;
}

function rejectedPaths(spec: Record<string, unknown>): string[] {
  const parsed = assertionSpecSchema.safeParse(spec);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(spec)} to be rejected`);
  return parsed.error.issues.map((i) => i.path.join('.'));
}

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('levenshtein', () => {
  it('passes at most 5 edits by default and fails beyond (promptfoo docs: "hello world" vs "hello word")', async () => {
    assert.equal(
      (await check({ type: 'levenshtein', value: 'hello world' }, 'hello word')).pass,
      true,
    );
    // kitten → sitting is 3 edits: within 5, beyond a threshold of 2.
    assert.equal((await check({ type: 'levenshtein', value: 'sitting' }, 'kitten')).pass, true);
    const strict = await check({ type: 'levenshtein', value: 'sitting', threshold: 2 }, 'kitten');
    assert.equal(strict.pass, false);
    assert.match(strict.reason, /distance 3 is greater than threshold 2/);
    assert.equal((await check({ type: 'levenshtein', value: 'abcdefgh' }, 'a')).pass, false);
  });
  it('not-levenshtein inverts the verdict', async () => {
    assert.equal(
      (await check({ type: 'not-levenshtein', value: 'sitting' }, 'kitten')).pass,
      false,
    );
  });
  it('takes a threshold above 1 (a count of edits) and rejects a non-text value', () => {
    assert.equal(
      assertionSpecSchema.safeParse({ type: 'levenshtein', value: 'x', threshold: 12 }).success,
      true,
    );
    assert.deepEqual(rejectedPaths({ type: 'levenshtein', value: 3 }), ['value']);
  });
});

describe('rouge-n', () => {
  it('scores the unigram F-measure: "the cat sat" vs "the cat sat on the mat" is 2·1·0.5/1.5 = 2/3', async () => {
    const result = await check({ type: 'rouge-n', value: 'the cat sat on the mat' }, 'the cat sat');
    close(result.score, 2 / 3);
    assert.equal(result.pass, false); // default threshold 0.75
    assert.equal(
      (
        await check(
          { type: 'rouge-n', value: 'the cat sat on the mat', threshold: 0.6 },
          'the cat sat',
        )
      ).pass,
      true,
    );
  });
  it('not-rouge-n inverts verdict and score', async () => {
    const result = await check(
      { type: 'not-rouge-n', value: 'the cat sat on the mat' },
      'the cat sat',
    );
    assert.equal(result.pass, true);
    close(result.score, 1 / 3);
  });
  it('rejects an empty reference and a threshold above 1', () => {
    assert.deepEqual(rejectedPaths({ type: 'rouge-n', value: '' }), ['value']);
    assert.deepEqual(rejectedPaths({ type: 'rouge-n', value: 'x', threshold: 2 }), ['threshold']);
  });
});

describe('bleu', () => {
  it('is 1 for an identical sentence', () => {
    close(bleuScore('The cat sat on the mat', ['the cat sat on the mat']), 1);
  });
  it('follows Papineni et al.: p = 5/6, 3/5, 1/4, 1e-7 smoothing, BP 1', () => {
    // "the cat is on the mat" vs "the cat sat on the mat": 1-grams 5/6, 2-grams 3/5
    // (the cat, on the, the mat), 3-grams 1/4 (on the mat), 4-grams 0 → 1e-7.
    const expected = Math.exp(
      0.25 * (Math.log(5 / 6) + Math.log(3 / 5) + Math.log(1 / 4) + Math.log(1e-7)),
    );
    close(bleuScore('the cat is on the mat', ['the cat sat on the mat']), expected);
  });
  it('takes the best reference of a list and applies the brevity penalty of the closest length', () => {
    // 4 words against a 6-word reference: BP = e^(1 − 4/6); all n-gram precisions 1.
    close(bleuScore('the cat sat on', ['the cat sat on the mat']), Math.exp(1 - 4 / 6));
    close(bleuScore('the cat sat on', ['a dog', 'the cat sat on']), 1);
  });
  it('passes at 0.5 by default; not-bleu inverts; a list of references is accepted', async () => {
    assert.equal(
      (
        await check(
          { type: 'bleu', value: ['x y', 'the cat sat on the mat'] },
          'the cat sat on the mat',
        )
      ).pass,
      true,
    );
    assert.equal(
      (await check({ type: 'bleu', value: 'the cat sat on the mat' }, 'a dog ran')).pass,
      false,
    );
    assert.equal(
      (await check({ type: 'not-bleu', value: 'the cat sat on the mat' }, 'a dog ran')).pass,
      true,
    );
    assert.deepEqual(rejectedPaths({ type: 'bleu', value: [1] }), ['value']);
  });
});

describe('gleu', () => {
  it('is min(precision, recall) over all 1–4-grams', () => {
    // "the cat is on the mat" vs "the cat sat on the mat": matches 5+3+1+0 = 9 of 6+5+4+3 = 18
    // n-grams on both sides: 0.5.
    close(gleuScore('the cat is on the mat', ['the cat sat on the mat']), 0.5);
    // "the cat" vs "the cat sat": matches 2+1 = 3; candidate has 3 n-grams, reference 6: min(1, 0.5).
    close(gleuScore('the cat', ['the cat sat']), 0.5);
  });
  it('ignores case and trailing dots, and scores an identical sentence 1', () => {
    close(gleuScore('The cat sat.', ['the cat sat']), 1);
    close(gleuScore('', ['the cat sat']), 0);
  });
  it('passes at 0.5 by default; not-gleu inverts', async () => {
    assert.equal(
      (await check({ type: 'gleu', value: 'the cat sat on the mat' }, 'the cat is on the mat'))
        .pass,
      true,
    );
    assert.equal(
      (await check({ type: 'not-gleu', value: 'the cat sat on the mat' }, 'the cat is on the mat'))
        .pass,
      false,
    );
  });
});

describe('meteor', () => {
  it('scores an identical sentence Fmean·(1 − 0.5·(1/6)³)', async () => {
    // 6 exact matches in one chunk: P = R = 1, Fmean = 1, penalty 0.5·(1/6)^3.
    close(await meteorScore('the cat sat on the mat', ['the cat sat on the mat']), 1 - 0.5 / 216);
  });
  it('matches stems and WordNet synonyms after exact words', async () => {
    // "cats" ~ "cat" by stem, "quick" ~ "fast" as WordNet synonyms: 3 matches in 1 chunk of 3
    // words each: Fmean 1, penalty 0.5·(1/3)³.
    close(await meteorScore('the cats quick', ['the cat fast']), 1 - 0.5 / 27);
  });
  it('counts chunks: a swapped pair is two chunks', async () => {
    // "mat the" vs "the mat": 2 matches, chunks 2: penalty 0.5·(2/2)³ = 0.5 → 0.5.
    close(await meteorScore('mat the', ['the mat']), 0.5);
  });
  it('passes at 0.5 by default; not-meteor inverts; takes the best of several references', async () => {
    assert.equal(
      (
        await check(
          { type: 'meteor', value: ['x', 'the cat sat on the mat'] },
          'the cat sat on the mat',
        )
      ).pass,
      true,
    );
    assert.equal(
      (await check({ type: 'meteor', value: 'the cat sat on the mat' }, 'dogs bark')).pass,
      false,
    );
    assert.equal(
      (await check({ type: 'not-meteor', value: 'the cat sat on the mat' }, 'dogs bark')).pass,
      true,
    );
  });
});
