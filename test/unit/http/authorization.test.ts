import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerMatches, bearerToken, secretsEqual } from '../../../src/http/index.js';

describe('the Authorization header parser', () => {
  it('takes the token of the Bearer scheme, whatever the scheme case', () => {
    assert.equal(bearerToken('Bearer abc.DEF-1_2~3+4/5='), 'abc.DEF-1_2~3+4/5=');
    assert.equal(bearerToken('bearer abc'), 'abc');
    assert.equal(bearerToken('BEARER  abc '), 'abc');
  });

  it('refuses a header without the Bearer scheme, another scheme, or extra parts', () => {
    for (const header of [
      undefined,
      '',
      'abc',
      'Bearer',
      'Bearer ',
      'Bearerabc',
      'Basic abc',
      'Bearer abc def',
      'Bearer abc,def',
      'Bearer\tabc',
      'Bearer abc\n',
    ]) {
      assert.equal(bearerToken(header), undefined, JSON.stringify(header));
    }
  });

  it('matches only the exact token', () => {
    assert.equal(bearerMatches('Bearer secret', 'secret'), true);
    assert.equal(bearerMatches('secret', 'secret'), false);
    assert.equal(bearerMatches('Bearer secret2', 'secret'), false);
    assert.equal(bearerMatches('Bearer secre', 'secret'), false);
    assert.equal(secretsEqual('a', 'a'), true);
    assert.equal(secretsEqual('a', 'b'), false);
  });
});
