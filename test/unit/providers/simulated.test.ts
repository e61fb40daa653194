import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError, SimulatedProvider } from '../../../src/providers/index.js';
import { simulatedGrade } from '../../../src/providers/simulated-output.js';

const options = { seed: 7, latencyMs: 1, latencyJitter: 0, failureRate: 0 };
const ask = (provider: SimulatedProvider, content: string, model = 'fast') =>
  provider.chat({ model, messages: [{ role: 'user', content }] }, AbortSignal.timeout(5000));

describe('simulated provider', () => {
  it('answers the same prompt the same way, across instances with the same seed', async () => {
    const a = await ask(new SimulatedProvider(options), 'Summarise: the server is down.');
    const b = await ask(new SimulatedProvider(options), 'Summarise: the server is down.');
    assert.equal(a.output, b.output);
  });

  it('answers with one of the labels a classification prompt lists', async () => {
    const answer = await ask(
      new SimulatedProvider(options),
      'Answer with exactly one label: P1, P2 or P3.\n\nTicket: login broken',
    );
    assert.match(answer.output, /^P[123]$/);
  });

  it('answers JSON prompts with JSON holding the keys the prompt names', async () => {
    const answer = await ask(
      new SimulatedProvider(options),
      'Answer with JSON only: {"customer": string, "total": number}\n\nDana bought 3 things',
    );
    const body = answer.output.replace(/^```json\n|\n```$/g, '');
    assert.deepEqual(Object.keys(JSON.parse(body) as object).sort(), ['customer', 'total']);
  });

  it('fails at the configured rate with classified errors', async () => {
    const provider = new SimulatedProvider({ ...options, failureRate: 0.5 });
    const kinds = new Map<string, number>();
    let failures = 0;
    const n = 400;
    for (let i = 0; i < n; i++) {
      try {
        await ask(provider, `prompt ${i}`);
      } catch (error) {
        assert.ok(error instanceof ProviderError);
        failures++;
        kinds.set(error.kind, (kinds.get(error.kind) ?? 0) + 1);
      }
    }
    assert.ok(failures > n * 0.4 && failures < n * 0.6, `${failures} failures of ${n}`);
    assert.deepEqual([...kinds.keys()].sort(), [
      'invalid_response',
      'rate_limited',
      'timeout',
      'unavailable',
    ]);
  });

  it('draws latency from a log-normal around the median', async () => {
    const provider = new SimulatedProvider({ ...options, latencyMs: 20, latencyJitter: 0.5 });
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      await ask(provider, `p${i}`);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[15];
    // A loaded machine only adds delay, so only the lower bound is tight.
    assert.ok(median > 8 && median < 200, `median ${median}`);
    assert.ok(latencies[29] > latencies[0] * 1.5, 'no spread');
  });

  it('rejects an unknown simulated model as bad_request', async () => {
    await assert.rejects(
      ask(new SimulatedProvider(options), 'x', 'nope'),
      (e) => e instanceof ProviderError && e.kind === 'bad_request',
    );
  });
});

describe('simulated grader', () => {
  it('fails, never passes by default, when the grader prompt holds no rubric (a custom rubricPrompt)', () => {
    const answer = JSON.parse(
      simulatedGrade('Grade this answer against the rubric: I cannot help'),
    ) as {
      pass?: boolean;
      score: number;
    };
    assert.equal(answer.pass, false);
    assert.equal(answer.score, 0);
  });
});
