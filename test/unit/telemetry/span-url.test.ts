import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spanUrlAttributes, spanUrlSecrets } from '../../../src/telemetry/tracing/span-url.js';

const SLACK = 'https://hooks.slack.test/services/T0PLANT01/B0PLANT02/secret0123456';

describe('client span URLs without credentials', () => {
  const secrets = spanUrlSecrets(
    {
      SLACK_WEBHOOK_URL: SLACK,
      OPENAI_API_KEY: 'sk-configured-123456',
      OPENAI_BASE_URL: 'https://api.example.test/v1',
    },
    ['SLACK_WEBHOOK_URL', 'OPENAI_API_KEY'],
  );

  it('keeps only the origin of a request to a secret-marked URL', () => {
    const attributes = spanUrlAttributes(new URL(`${SLACK}?x=1`), secrets);
    assert.equal(
      attributes['url.full'],
      'https://hooks.slack.test/REDACTED/REDACTED/REDACTED/REDACTED?x=REDACTED',
    );
    assert.equal(attributes['url.query'], '?x=REDACTED');
  });

  it('keeps an ordinary URL, redacting credential-named query values and configured secrets', () => {
    const attributes = spanUrlAttributes(
      new URL(
        'https://api.example.test/v1/chat/completions?api-key=abc&model=alpha&k=sk-configured-123456',
      ),
      secrets,
    );
    assert.equal(
      attributes['url.full'],
      'https://api.example.test/v1/chat/completions?api-key=REDACTED&model=alpha&k=REDACTED',
    );
    assert.equal(attributes['url.path'], '/v1/chat/completions');
  });

  it('redacts userinfo', () => {
    const attributes = spanUrlAttributes(new URL('http://u:p@127.0.0.1:9/x'), secrets);
    assert.equal(attributes['url.full'], 'http://REDACTED:REDACTED@127.0.0.1:9/x');
  });
});
