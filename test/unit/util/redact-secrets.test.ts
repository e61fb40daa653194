import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, urlPassword } from '../../../src/util/redact-secrets.js';

describe('createRedactor', () => {
  const redact = createRedactor(['my-configured-secret', undefined, 'abc']);

  it('removes every configured secret value, wherever it occurs', () => {
    assert.equal(
      redact('key=my-configured-secret and again my-configured-secret.'),
      'key=[redacted] and again [redacted].',
    );
  });

  it('ignores values too short to be secrets', () => {
    assert.equal(redact('abc def'), 'abc def');
  });

  it('removes bearer tokens, sk- keys and key=value pairs it was not told about', () => {
    assert.equal(
      redact('Authorization: Bearer eyJhbGciOi.x-y_z'),
      'Authorization: Bearer [redacted]',
    );
    assert.equal(
      redact('Incorrect API key provided: sk-proj-AbC123_xyz.'),
      'Incorrect API key provided: [redacted].',
    );
    assert.equal(redact('{"api_key": "hunter22"}'), '{"api_key": "[redacted]"}');
    assert.equal(redact('?access_token=q1w2e3&x=1'), '?access_token=[redacted]&x=1');
  });

  it('leaves ordinary text alone', () => {
    assert.equal(redact('The sky is blue; ask-me later.'), 'The sky is blue; ask-me later.');
  });

  it('reads the password of a URL', () => {
    assert.equal(urlPassword('smtp://user:p%40ss@host:587'), 'p@ss');
    assert.equal(urlPassword('redis://host:6379'), undefined);
    assert.equal(urlPassword('not a url'), undefined);
  });
});
