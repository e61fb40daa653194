import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  callCost,
  parseModelId,
  ProviderError,
  withRetry,
} from '../../../src/providers/index.js';
import { parseRetryAfter } from '../../../src/providers/provider-error.js';

describe('retry', () => {
  it('retries retryable errors with growing, jittered delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const outcome = await withRetry(
      () => {
        calls++;
        if (calls < 3) return Promise.reject(new ProviderError('unavailable', 'down'));
        return Promise.resolve('ok');
      },
      AbortSignal.timeout(5000),
      {
        maxRetries: 5,
        baseDelayMs: 1,
        random: () => 1,
        onRetry: (_e, _a, delay) => delays.push(delay),
      },
    );
    assert.deepEqual(outcome, { value: 'ok', attempts: 3 });
    assert.deepEqual(delays, [1, 2]);
  });

  it('does not retry auth, bad_request or invalid_response', async () => {
    for (const kind of ['auth', 'bad_request', 'invalid_response'] as const) {
      let calls = 0;
      await assert.rejects(
        withRetry(
          () => {
            calls++;
            return Promise.reject(new ProviderError(kind, kind));
          },
          AbortSignal.timeout(5000),
          { maxRetries: 3, baseDelayMs: 1 },
        ),
      );
      assert.equal(calls, 1, kind);
    }
  });

  it('gives up after maxRetries and throws the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        () => {
          calls++;
          return Promise.reject(new ProviderError('timeout', `t${calls}`));
        },
        AbortSignal.timeout(5000),
        { maxRetries: 2, baseDelayMs: 1 },
      ),
      /t3/,
    );
    assert.equal(calls, 3);
  });

  it('uses Retry-After instead of the computed backoff', () => {
    const error = new ProviderError('rate_limited', '429', { retryAfterMs: 3000 });
    assert.equal(backoffDelay(error, 0, { maxRetries: 1, baseDelayMs: 1 }), 3000);
  });

  it('ends at once, rate_limited, when a Retry-After would outlast the call budget', async () => {
    let calls = 0;
    const waits: number[] = [];
    await assert.rejects(
      withRetry(
        () => {
          calls++;
          return Promise.reject(
            new ProviderError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 30_000 }),
          );
        },
        AbortSignal.timeout(5000),
        {
          maxRetries: 2,
          deadline: performance.now() + 4500,
          onRetry: (_e, _n, delay) => waits.push(delay),
        },
      ),
      (error: unknown) =>
        error instanceof ProviderError &&
        error.kind === 'rate_limited' &&
        error.details.attempts === 1 &&
        /exceed the call budget/.test(error.message),
    );
    assert.equal(calls, 1);
    assert.deepEqual(waits, [], 'no wait was started');
  });

  it('caps the exponential delay', () => {
    const error = new ProviderError('unavailable', '503');
    assert.equal(
      backoffDelay(error, 20, {
        maxRetries: 1,
        baseDelayMs: 100,
        maxDelayMs: 2000,
        random: () => 1,
      }),
      2000,
    );
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    await assert.rejects(
      withRetry(() => Promise.reject(new ProviderError('unavailable', 'x')), controller.signal, {
        maxRetries: 5,
        baseDelayMs: 10_000,
        random: () => 1,
      }),
      (e) => e === reason,
    );
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
      10_000,
    );
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});

describe('model ids and cost', () => {
  it('splits a model id at the first colon', () => {
    assert.deepEqual(parseModelId('ollama:llama3.1:8b'), {
      provider: 'ollama',
      model: 'llama3.1:8b',
    });
    assert.equal(parseModelId('nocolon'), undefined);
    assert.equal(parseModelId(':x'), undefined);
    assert.equal(parseModelId('x:'), undefined);
  });

  it('prices a call per million tokens and gives null, never 0, when unknown', () => {
    assert.equal(callCost({ input: 0.15, output: 0.6 }, 1_000_000, 500_000), 0.45);
    assert.equal(callCost(undefined, 10, 10), null);
    assert.equal(callCost({ input: 1, output: 1 }, null, 10), null);
  });
});
