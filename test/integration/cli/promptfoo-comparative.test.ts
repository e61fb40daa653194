/**
 * promptfoo's comparative assertions `select-best` and `max-score` through `prompt-cards eval`,
 * with one prompt and two providers of a loopback OpenAI-wire server (`terse` answers "Paris",
 * `wordy` "Paris is the capital of France") and its grader `judge` named in
 * defaultTest.options.provider. The suites follow promptfoo's documentation of the kinds
 * (https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/select-best/ and
 * …/deterministic/#max-score): the output picked passes, every other output of the test fails;
 * with fewer than two outputs the suite is refused with promptfoo's message.
 *
 * The judge answers the index the criteria carry in a `[[pick|…]]` marker.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

function answer(prompt: string, model?: string): string {
  if (model === 'terse') return 'Paris';
  if (model === 'wordy') return 'Paris is the capital of France';
  return /\[\[pick\|(.*?)\]\]/.exec(prompt)?.[1] ?? 'no pick marker';
}

describe('eval: promptfoo select-best and max-score', () => {
  let server: WireServer;
  const dir = tempDir('pcs-comparative-');
  before(async () => {
    server = await startWireServer('openai');
    server.answer = answer;
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  function suite(
    name: string,
    tests: readonly string[],
    options: { grader?: boolean; providers?: readonly string[]; prompts?: string } = {},
  ): string {
    const file = join(dir.path, name);
    const providers = options.providers ?? ['terse', 'wordy'];
    writeFileSync(
      file,
      [
        `prompts: ${options.prompts ?? '["What is the capital of {{country}}?"]'}`,
        'providers:',
        ...providers.map(
          (p) =>
            `  - {id: "openai:chat:${p}", config: {apiBaseUrl: "${server.url}", apiKey: sk-suite}}`,
        ),
        ...(options.grader === false
          ? []
          : ['defaultTest:', '  options:', '    provider: openai:chat:judge']),
        'tests:',
        ...tests,
      ].join('\n'),
    );
    return file;
  }

  async function verdicts(file: string) {
    const { code, report } = await evalCommand({ config: file, log: () => undefined });
    const rows: Record<string, string> = {};
    for (const r of report.rows) rows[`${r.test} / ${r.model}`] = r.verdict;
    return { code, rows, report };
  }

  it('select-best: the output the grader picks passes, the other fails; no valid pick fails both', async () => {
    const file = suite('select-best.yaml', [
      '  - description: picks wordy',
      '    vars: {country: France}',
      '    assert: [{type: select-best, value: "the most informative answer [[pick|Output 1 is best]]"}]',
      '  - description: picks terse',
      '    vars: {country: France}',
      '    assert: [{type: select-best, value: "the shortest answer [[pick|0]]"}]',
      '  - description: no pick',
      '    vars: {country: France}',
      '    assert: [{type: select-best, value: "the best answer [[pick|neither]]"}]',
    ]);
    const { code, rows, report } = await verdicts(file);
    assert.equal(code, 1);
    assert.deepEqual(rows, {
      'picks wordy / openai:chat:terse': 'fail',
      'picks wordy / openai:chat:wordy': 'pass',
      'picks terse / openai:chat:terse': 'pass',
      'picks terse / openai:chat:wordy': 'fail',
      'no pick / openai:chat:terse': 'fail',
      'no pick / openai:chat:wordy': 'fail',
    });
    const noPick = report.rows.find((r) => r.test === 'no pick')?.assertions[0];
    assert.equal(noPick?.reason, 'Invalid select-best verdict: NaN');
    // The grader saw both outputs, in provider order, and the criteria.
    const graded = server.requests.filter(
      (r) => (r.body as { model?: string } | undefined)?.model === 'judge',
    );
    assert.equal(graded.length, 3);
    const shown = graded
      .map((r) => JSON.stringify(r.body))
      .find((b) => b.includes('the most informative answer'));
    assert.ok(shown !== undefined, 'the criteria reach the grader');
    const first = shown.indexOf('"0\\">\\nParis\\n');
    const second = shown.indexOf('"1\\">\\nParis is the capital');
    assert.ok(first >= 0 && first < second, `outputs in provider order: ${shown}`);
  });

  it('max-score: the highest weighted score of the other assertions wins; first on a tie; threshold', async () => {
    const file = suite('max-score.yaml', [
      '  - description: average',
      '    vars: {country: France}',
      '    assert:',
      '      - {type: contains, value: Paris}',
      '      - {type: icontains, value: france}',
      '      - {type: max-score}',
      '  - description: weights',
      '    vars: {country: France}',
      '    assert:',
      '      - {type: equals, value: Paris}',
      '      - {type: contains, value: capital}',
      '      - {type: max-score, value: {method: sum, weights: {equals: 3}}}',
      '  - description: tie',
      '    vars: {country: France}',
      '    assert:',
      '      - {type: contains, value: Paris}',
      '      - {type: max-score}',
      '  - description: below threshold',
      '    vars: {country: France}',
      '    assert:',
      '      - {type: contains, value: Paris}',
      '      - {type: contains, value: Berlin}',
      '      - {type: max-score, value: {threshold: 0.9}}',
    ]);
    const { code, rows } = await verdicts(file);
    assert.equal(code, 1);
    assert.deepEqual(rows, {
      // terse 0.5, wordy 1: wordy wins.
      'average / openai:chat:terse': 'fail',
      'average / openai:chat:wordy': 'pass',
      // terse 3·1 + 0 = 3, wordy 0 + 1 = 1 (sum): terse wins; its contains fails all the same.
      'weights / openai:chat:terse': 'fail',
      'weights / openai:chat:wordy': 'fail',
      // Both 1: promptfoo keeps the first output.
      'tie / openai:chat:terse': 'pass',
      'tie / openai:chat:wordy': 'fail',
      // Both 0.5, under 0.9: nobody is selected.
      'below threshold / openai:chat:terse': 'fail',
      'below threshold / openai:chat:wordy': 'fail',
    });
  });

  it('max-score picks the weighted winner even when that output fails another check', async () => {
    const file = suite('max-score-weights.yaml', [
      '  - description: weights',
      '    vars: {country: France}',
      '    assert:',
      '      - {type: equals, value: Paris}',
      '      - {type: max-score, value: {method: sum, weights: {equals: 3}}}',
    ]);
    const { rows, report } = await verdicts(file);
    assert.deepEqual(rows, {
      'weights / openai:chat:terse': 'pass',
      'weights / openai:chat:wordy': 'fail',
    });
    const wordy = report.rows.find((r) => r.model === 'openai:chat:wordy');
    assert.equal(wordy?.score, 0);
    assert.match(
      wordy?.assertions.at(-1)?.reason ?? '',
      /^Not selected \(score: 0\.000, max: 3\.000\)/,
    );
  });

  it('refuses a comparison with one output, across prompts, without a grader, or negated', async () => {
    const refused = async (file: string, message: RegExp) =>
      assert.rejects(
        evalCommand({ config: file, log: () => undefined }),
        (error: unknown) =>
          error instanceof SuiteError && error.issues.some((i) => message.test(i.message)) && true,
      );
    const test = [
      '  - vars: {country: France}',
      '    assert: [{type: select-best, value: the best}]',
    ];
    await refused(
      suite('one.yaml', test, { providers: ['terse'] }),
      /select-best assertion must have at least two outputs to compare between/,
    );
    await refused(
      suite('prompts.yaml', test, { prompts: '["A {{country}}", "B {{country}}"]' }),
      /select-best across several prompts is not supported/,
    );
    await refused(
      suite('no-grader.yaml', test, { grader: false }),
      /select-best needs a grader and none is configured: set defaultTest.options.provider in the suite, pass --grader <provider:model>, or set GRADER_MODEL/,
    );
    await refused(
      suite('negated.yaml', ['  - vars: {country: France}', '    assert: [{type: not-max-score}]']),
      /max-score has no not- form/,
    );
    await refused(
      suite('bad-value.yaml', [
        '  - vars: {country: France}',
        '    assert: [{type: max-score, value: {method: median}}]',
      ]),
      /must be average or sum/,
    );
  });
});
