import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isCredentialQueryKey,
  isTokenLikeSegment,
  urlCredentialParts,
} from '../../../src/config/url-secrets.js';

describe('the credential-bearing parts of a URL', () => {
  it('gives a secret URL’s path, its token-like segments, query and userinfo', () => {
    const parts = urlCredentialParts(
      'https://u1:p%40ss@hooks.slack.test/services/T0PLANT01/B0PLANT02/secret0123?x=y',
      true,
    );
    for (const part of [
      '/services/T0PLANT01/B0PLANT02/secret0123',
      'services/T0PLANT01/B0PLANT02/secret0123',
      'T0PLANT01',
      'B0PLANT02',
      'secret0123',
      'u1',
      'p%40ss',
      'p@ss',
      'y',
    ])
      assert.ok(parts.includes(part), `${part} missing from ${JSON.stringify(parts)}`);
    assert.ok(!parts.includes('services'), 'a word segment is not a secret on its own');
  });

  it('gives only the password and credential-named query values of another URL', () => {
    const parts = urlCredentialParts(
      'postgres://pcs:pw-123456@db.test:5432/pcs?sslmode=require&X-Amz-Signature=f00d',
      false,
    );
    assert.deepEqual(parts.sort(), ['f00d', 'pw-123456']);
    assert.deepEqual(urlCredentialParts('not a url', true), []);
  });

  it('tells credential-named query keys and token-like segments', () => {
    for (const key of ['token', 'access_token', 'api-key', 'sig', 'X-Goog-Signature', 'code'])
      assert.ok(isCredentialQueryKey(key), key);
    for (const key of ['region', 'db', 'precision', 'sslmode'])
      assert.ok(!isCredentialQueryKey(key), key);
    assert.ok(isTokenLikeSegment('T0123ABCD'));
    assert.ok(isTokenLikeSegment('abcdefghijklmnopqrstuv'));
    assert.ok(!isTokenLikeSegment('services'));
    assert.ok(!isTokenLikeSegment('v1'));
  });
});
