/**
 * The built-in simulated provider: no network, deterministic from a seed. Its answer depends
 * only on the model and the prompt (like temperature 0); its latency is log-normal around the
 * configured median; it fails at the configured rate with the error kinds real servers produce
 * (rate limits with Retry-After, 503s, timeouts, malformed answers). Each repeated call of the
 * same prompt draws new latency and failure numbers, so a retry can succeed.
 */
import { hashedEmbedding } from './hashed-embedding.js';
import { hash32, mulberry32, normal, pick } from './prng.js';
import type { ChatRequest, ChatResponse, Provider } from './provider.js';
import { ProviderError } from './provider-error.js';
import { estimateTokens, simulatedAnswer, simulatedGrade } from './simulated-output.js';
import { sleep } from './sleep.js';

export interface SimulatedOptions {
  readonly seed: number;
  /** Median latency of the `fast` model, in ms. */
  readonly latencyMs: number;
  /** Sigma of the log-normal latency; 0 gives a fixed latency. */
  readonly latencyJitter: number;
  /** Share of calls that fail. */
  readonly failureRate: number;
}

interface ModelProfile {
  readonly latencyFactor: number;
  readonly failureFactor: number;
}

/** The simulated models: `fast` is the baseline, `slow` is 5× slower, `flaky` fails 10× as often. */
export const SIMULATED_MODELS: Readonly<Record<string, ModelProfile>> = {
  fast: { latencyFactor: 1, failureFactor: 1 },
  slow: { latencyFactor: 5, failureFactor: 1 },
  flaky: { latencyFactor: 1, failureFactor: 10 },
  grader: { latencyFactor: 0.5, failureFactor: 0 },
  embed: { latencyFactor: 0.1, failureFactor: 0 },
};

const FAILURES = [
  'rate_limited',
  'rate_limited',
  'unavailable',
  'unavailable',
  'timeout',
  'invalid_response',
] as const;

export class SimulatedProvider implements Provider {
  readonly name = 'simulated';
  readonly simulated = true;
  private readonly calls = new Map<number, number>();

  constructor(private readonly options: SimulatedOptions) {}

  listModels(): Promise<string[]> {
    return Promise.resolve(Object.keys(SIMULATED_MODELS));
  }

  private profile(model: string): ModelProfile {
    const profile = SIMULATED_MODELS[model];
    if (profile === undefined) {
      throw new ProviderError(
        'bad_request',
        `Unknown simulated model "${model}"; known: ${Object.keys(SIMULATED_MODELS).join(', ')}`,
        { status: 404 },
      );
    }
    return profile;
  }

  /** A new random stream per call of the same (model, prompt): retries draw fresh numbers. */
  private callRandom(model: string, prompt: string) {
    const key = hash32(this.options.seed, model, prompt);
    const n = this.calls.get(key) ?? 0;
    this.calls.set(key, n + 1);
    if (this.calls.size > 100_000) this.calls.clear();
    return mulberry32(hash32(key, n));
  }

  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
    const profile = this.profile(request.model);
    const prompt = request.messages.map((m) => m.content).join('\n\n');
    const random = this.callRandom(request.model, prompt);
    const median = this.options.latencyMs * profile.latencyFactor;
    const latency = median * Math.exp(this.options.latencyJitter * normal(random));
    const failureRate = Math.min(0.9, this.options.failureRate * profile.failureFactor);
    const failure = random() < failureRate ? pick(random, FAILURES) : undefined;

    if (failure === 'rate_limited') {
      await sleep(Math.min(latency, 5), signal);
      throw new ProviderError('rate_limited', 'HTTP 429: simulated rate limit', {
        status: 429,
        retryAfterMs: 50 + Math.floor(random() * 150),
      });
    }
    if (failure === 'timeout') {
      // Like a gateway that gives up on a hung upstream: a 504 after three times the latency.
      await sleep(latency * 3, signal);
      throw new ProviderError('timeout', 'HTTP 504: simulated upstream timeout', { status: 504 });
    }
    await sleep(latency, signal);
    if (failure === 'unavailable')
      throw new ProviderError('unavailable', 'HTTP 503: simulated overload', { status: 503 });
    if (failure === 'invalid_response')
      throw new ProviderError('invalid_response', 'The answer is not JSON: <html>Bad Gateway');

    const answerRandom = mulberry32(hash32(this.options.seed, request.model, prompt, 'answer'));
    const output =
      request.model === 'grader' ? simulatedGrade(prompt) : simulatedAnswer(prompt, answerRandom);
    return {
      output,
      responseModel: request.model,
      inputTokens: estimateTokens(prompt),
      outputTokens: estimateTokens(output),
      finishReason: 'stop',
    };
  }

  async embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]> {
    this.profile(model);
    await sleep(this.options.latencyMs * (SIMULATED_MODELS.embed?.latencyFactor ?? 0.1), signal);
    return texts.map((text) => hashedEmbedding(text));
  }
}
