/**
 * The provider contract, run against every implementation: the simulator, and the Ollama and
 * OpenAI clients against loopback servers speaking their wire formats. Fault cases (slow, 429,
 * 500, malformed, 401, refused) need a server to script them, so they run for the wire formats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cosineSimilarity } from '../../src/assertions/index.js';
import { ModelClient, ProviderError, type Provider } from '../../src/providers/index.js';
import type { WireServer } from './wire-server.js';

export interface ContractSubject {
  readonly provider: Provider;
  /** A model the provider answers with. */
  readonly model: string;
  /** A model that embeds. */
  readonly embeddingModel: string;
  /** A provider whose calls take long enough to be cancelled mid-way. */
  readonly slowProvider: Provider;
  /** Present for wire-format providers: the loopback server behind `provider`. */
  readonly server?: WireServer;
  /** Builds the same provider pointed at another base URL (connection-refused case). */
  readonly withBaseUrl?: (url: string) => Provider;
  close(): Promise<void>;
}

function client(
  provider: Provider,
  options: { timeoutMs?: number; maxRetries?: number } = {},
): ModelClient {
  return new ModelClient([provider], {
    timeoutMs: options.timeoutMs ?? 5000,
    maxRetries: options.maxRetries ?? 2,
    prices: {},
    embeddingModel: `${provider.name}:embed`,
    graderModel: `${provider.name}:grader`,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
}

async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

export function defineProviderContract(
  label: string,
  /** True when `open` gives a scripted wire server: the fault cases are defined then. */
  scriptable: boolean,
  open: () => Promise<ContractSubject>,
): void {
  describe(`Provider contract: ${label}`, () => {
    let subject: ContractSubject;
    before(async () => {
      subject = await open();
    });
    after(() => subject.close());

    /** One chat through a ModelClient (timeouts, retries) on the subject's provider. */
    const callModel = (
      content: string,
      timeoutMs: number,
      options: { timeoutMs?: number; maxRetries?: number } = {},
    ) =>
      client(subject.provider, options).chat(
        `${subject.provider.name}:${subject.model}`,
        [{ role: 'user', content }],
        AbortSignal.timeout(timeoutMs),
      );

    const chat = (provider: Provider, signal: AbortSignal = AbortSignal.timeout(10_000)) =>
      provider.chat(
        { model: subject.model, messages: [{ role: 'user', content: 'Say hello to Ada' }] },
        signal,
      );

    it('lists its models', async () => {
      const models = await subject.provider.listModels(AbortSignal.timeout(5000));
      assert.ok(models.includes(subject.model), `${subject.model} not in ${models.join(', ')}`);
    });

    it('answers a chat with output, the answering model and token counts', async () => {
      const answer = await chat(subject.provider);
      assert.ok(answer.output.length > 0);
      assert.ok(answer.responseModel.length > 0);
      assert.ok((answer.inputTokens ?? 0) > 0 && (answer.outputTokens ?? 0) > 0);
      assert.equal(answer.finishReason, 'stop');
      if (subject.server !== undefined) {
        assert.equal(answer.output, 'echo: Say hello to Ada');
        assert.equal(answer.inputTokens, 4);
        assert.equal(answer.outputTokens, 5);
      }
    });

    it('embeds texts: one vector each, closer for texts that share words', async () => {
      const embed = subject.provider.embed?.bind(subject.provider);
      assert.ok(embed !== undefined);
      const [a, b, c] = await embed(
        subject.embeddingModel,
        ['the cat sat on the mat', 'the cat sat on a mat', 'quarterly revenue grew'],
        AbortSignal.timeout(5000),
      );
      assert.ok(a !== undefined && b !== undefined && c !== undefined);
      assert.ok(cosineSimilarity(a, b) > cosineSimilarity(a, c));
    });

    it('stops promptly when its signal aborts, rejecting with the abort reason', async () => {
      if (subject.server !== undefined) subject.server.faults.push({ kind: 'hang' });
      const controller = new AbortController();
      const reason = new Error('cancelled by test');
      const started = Date.now();
      setTimeout(() => controller.abort(reason), 50);
      await assert.rejects(
        chat(subject.slowProvider, controller.signal),
        (error) => error === reason,
      );
      assert.ok(Date.now() - started < 2000, 'the call did not stop promptly');
    });

    if (!scriptable) return;

    it('is retried after a timeout and reports `timeout` when every attempt times out', async () => {
      assert.ok(subject.server !== undefined);
      subject.server.faults.push({ kind: 'slow', delayMs: 400 }, { kind: 'slow', delayMs: 400 });
      const before = subject.server.requests.length;
      await rejectsWith(callModel('x', 5000, { timeoutMs: 100, maxRetries: 1 }), 'timeout');
      assert.equal(subject.server.requests.length - before, 2);
    });

    it('honours Retry-After on 429 and then succeeds', async () => {
      assert.ok(subject.server !== undefined);
      subject.server.faults.push({ kind: 'status', status: 429, retryAfter: '1' });
      const started = Date.now();
      const call = await callModel('hi', 10_000);
      assert.equal(call.attempts, 2);
      assert.ok(Date.now() - started >= 950, 'retried before Retry-After elapsed');
    });

    it('retries a 500 and succeeds', async () => {
      assert.ok(subject.server !== undefined);
      subject.server.faults.push({ kind: 'status', status: 500 });
      const call = await callModel('hi', 5000);
      assert.equal(call.attempts, 2);
      assert.equal(call.output, 'echo: hi');
    });

    it('classifies malformed JSON as invalid_response and does not retry it', async () => {
      assert.ok(subject.server !== undefined);
      subject.server.faults.push({ kind: 'malformed' });
      const before = subject.server.requests.length;
      await rejectsWith(callModel('hi', 5000), 'invalid_response');
      assert.equal(subject.server.requests.length - before, 1);
    });

    it('classifies 401 as auth and does not retry it', async () => {
      assert.ok(subject.server !== undefined);
      subject.server.faults.push({ kind: 'status', status: 401 });
      const before = subject.server.requests.length;
      await rejectsWith(callModel('hi', 5000), 'auth');
      assert.equal(subject.server.requests.length - before, 1);
    });

    it('classifies a 400 as bad_request', async () => {
      assert.ok(subject.server !== undefined);
      subject.server.faults.push({ kind: 'status', status: 400 });
      await rejectsWith(callModel('hi', 5000), 'bad_request');
    });

    it('reports connection refused as unavailable after its retries', async () => {
      assert.ok(subject.withBaseUrl !== undefined);
      const { closedPort } = await import('./wire-server.js');
      const refused = subject.withBaseUrl(`http://127.0.0.1:${await closedPort()}`);
      await rejectsWith(
        client(refused, { maxRetries: 2 }).chat(
          `${refused.name}:${subject.model}`,
          [{ role: 'user', content: 'hi' }],
          AbortSignal.timeout(5000),
        ),
        'unavailable',
      );
      await assert.rejects(
        refused.listModels(AbortSignal.timeout(5000)),
        (e) => e instanceof ProviderError && e.kind === 'unavailable',
      );
    });
  });
}
