/**
 * promptfoo's text-metric and endpoint kinds through `prompt-cards eval`, in process: a suite in
 * promptfoo's documented format against the loopback OpenAI-wire server (it answers
 * "the cat sat on the mat" with token logprobs), a loopback webhook and a loopback
 * text-classification endpoint (Hugging Face Inference API wire). Each verdict is the one the
 * published formula gives; a bad value exits 2 naming file and path.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { SuiteError } from '../../../src/suites/index.js';
import { startJsonEndpoint, type JsonEndpoint } from '../../support/json-endpoint.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: text metrics, perplexity, webhook and classifier', () => {
  let wire: WireServer;
  let hook: JsonEndpoint;
  let classes: JsonEndpoint;
  const dir = tempDir('pcs-metrics-');
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = () => 'the cat sat on the mat';
    // Six tokens of logprob ln ½: perplexity exactly 2.
    wire.logProbs = Array.from({ length: 6 }, () => Math.log(0.5));
    hook = await startJsonEndpoint((body) => {
      const { output, context } = body as { output: string; context: { vars: { animal: string } } };
      return { pass: output.includes(context.vars.animal), reason: 'checked by the hook' };
    });
    classes = await startJsonEndpoint(() => [[{ label: 'calm', score: 0.8 }]]);
  });
  after(async () => {
    await wire.close();
    await hook.close();
    await classes.close();
    dir.remove();
  });

  function suite(name: string, tests: string[]): string {
    const config = join(dir.path, name);
    writeFileSync(
      config,
      [
        'prompts: ["Describe the {{animal}}"]',
        'providers:',
        `  - {id: "openai:chat:m", config: {apiBaseUrl: "${wire.url}", apiKey: k}}`,
        'tests:',
        ...tests,
      ].join('\n'),
    );
    return config;
  }

  it('gives each kind the verdict of its formula', async () => {
    const config = suite('metrics.yaml', [
      '  - description: close texts',
      '    vars: {animal: cat}',
      '    assert:',
      '      - {type: levenshtein, value: "the cat sat on a mat", threshold: 3}',
      '      - {type: rouge-n, value: "the cat sat on the mat"}',
      '      - {type: bleu, value: ["a dog", "the cat sat on the mat"]}',
      '      - {type: gleu, value: "the cat sat on the mat."}',
      '      - {type: meteor, value: "the cats sat on the mat"}',
      '      - {type: perplexity, threshold: 2.5}',
      '      - {type: perplexity-score, threshold: 0.3}',
      `      - {type: webhook, value: "${hook.url}/check"}`,
      '      - type: classifier',
      `        provider: {id: "huggingface:text-classification:calm-model", config: {apiEndpoint: "${classes.url}"}}`,
      '        value: calm',
      '        threshold: 0.5',
      '  - description: far texts',
      '    vars: {animal: dog}',
      '    assert:',
      '      - {type: not-levenshtein, value: "the cat sat on the mat"}',
      '      - {type: bleu, value: "a dog barked loudly"}',
      `      - {type: webhook, value: "${hook.url}/check"}`,
      '      - {type: perplexity, threshold: 1.5}',
    ]);
    const { code, report } = await evalCommand({ config, log: () => undefined });
    const rows = new Map(report.rows.map((r) => [r.test, r]));
    const close = rows.get('close texts');
    assert.equal(close?.verdict, 'pass', JSON.stringify(close?.assertions));
    assert.deepEqual(
      close?.assertions.map((a) => [a.type, a.pass]),
      [
        ['levenshtein', true],
        ['rouge-n', true],
        ['bleu', true],
        ['gleu', true],
        ['meteor', true],
        ['perplexity', true],
        ['perplexity-score', true],
        ['webhook', true],
        ['classifier', true],
      ],
    );
    // 1/(1+2) for a perplexity of 2.
    assert.ok(Math.abs((close?.assertions[6]?.score ?? 0) - 1 / 3) < 1e-12);
    const far = rows.get('far texts');
    assert.deepEqual(
      far?.assertions.map((a) => [a.type, a.pass]),
      [
        ['not-levenshtein', false],
        ['bleu', false],
        ['webhook', false],
        ['perplexity', false],
      ],
    );
    assert.equal(code, 1);
    assert.equal((wire.requests.at(-1)?.body as { logprobs?: unknown }).logprobs, true);
    const sent = hook.requests
      .map(
        (r) => r.body as { output: string; context: { prompt: string; vars: { animal: string } } },
      )
      .find((b) => b.context.vars.animal === 'dog');
    assert.equal(sent?.output, 'the cat sat on the mat');
    assert.equal(sent?.context.prompt, 'Describe the dog');
  });

  it('exits 2 naming file and path for a bad value or a classifier without endpoint', async () => {
    const config = suite('bad.yaml', [
      '  - vars: {animal: cat}',
      '    assert:',
      '      - {type: bleu, value: 3}',
      '      - {type: webhook, value: "not a url"}',
      '      - {type: classifier, value: calm}',
    ]);
    await assert.rejects(evalCommand({ config, log: () => undefined }), (error: unknown) => {
      assert.ok(error instanceof SuiteError, String(error));
      assert.match(error.message, /bad\.yaml.*tests\[0\]\.assert\[0\]\.value/s);
      assert.match(error.message, /tests\[0\]\.assert\[1\]\.value.*http\(s\) URL/s);
      assert.match(error.message, /no classifier endpoint: set CLASSIFIER_API_URL/);
      return true;
    });
  });
});
