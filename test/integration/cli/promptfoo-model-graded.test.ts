/**
 * promptfoo's model-graded kinds through `prompt-cards eval` (in process, and as a separate
 * process for the exit codes), against a loopback OpenAI-wire server that plays both the
 * model (`openai:chat:model`) and the grader (`openai:chat:judge`, named in
 * defaultTest.options.provider, on the suite's apiBaseUrl and key), with the embeddings of
 * the same server. Each suite is written from promptfoo's documentation of the kind
 * (https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/), and the
 * grader's answers are chosen per test so the verdicts the documentation gives follow.
 *
 * The grader answers by the step its prompt is for (recognised by how each of our grader
 * prompts starts) with the text the test put in a `[[step|answer]]` marker somewhere the
 * prompt shows (the output, the value, or a var); `\n` in a marker is a line break.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const STEPS: readonly [string, (prompt: string) => boolean][] = [
  ['steps', (p) => p.startsWith('Evaluation criteria:') && !p.includes('\nReply:\n')],
  ['geval', (p) => p.startsWith('Evaluation criteria:')],
  ['fact', (p) => p.startsWith('[Question]:')],
  ['closedqa', (p) => p.startsWith('[Task]:')],
  ['question', (p) => p.startsWith('Answer:\n')],
  ['recall', (p) => p.startsWith('Context:') && p.includes('Reference answer:')],
  ['verdicts', (p) => p.startsWith('Context:') && p.includes('Statements:')],
  ['relevance', (p) => p.startsWith('Question: ') && p.includes('\n\nContext:')],
  ['statements', (p) => p.startsWith('Question: ') && p.includes('\nAnswer: ')],
];

/** The model echoes its prompt ("Q: …" → "A: …"); the grader answers by marker. */
function answer(prompt: string): string {
  if (prompt.startsWith('Q: ')) return `A: ${prompt.slice(3)}`;
  const step = STEPS.find(([, is]) => is(prompt))?.[0];
  if (step === undefined) return `custom prompt seen: ${prompt}`;
  const marker = new RegExp(`\\[\\[${step}\\|(.*?)\\]\\](?!\\])`, 's').exec(prompt)?.[1];
  return marker === undefined ? `no ${step} marker` : marker.replaceAll('\\n', '\n');
}

const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');

function cli(args: readonly string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    delete env.GRADER_MODEL;
    delete env.EMBEDDING_MODEL;
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(process.cwd(), 'src/cli/main.ts'), ...args],
      { cwd, env },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

interface Sent {
  model: string;
  messages: { role: string; content: string }[];
}

describe('eval: promptfoo model-graded kinds', () => {
  let server: WireServer;
  const dir = tempDir('pcs-model-graded-');
  before(async () => {
    server = await startWireServer('openai');
    server.answer = answer;
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  function suite(name: string, grader: boolean, tests: readonly string[]): string {
    const file = join(dir.path, name);
    writeFileSync(
      file,
      [
        'prompts: ["Q: {{ q }}"]',
        'providers:',
        `  - {id: "openai:chat:model", config: {apiBaseUrl: "${server.url}", apiKey: sk-suite}}`,
        ...(grader
          ? [
              'defaultTest:',
              '  options:',
              '    provider:',
              '      text: openai:chat:judge',
              '      embedding: openai:embedding:embed',
            ]
          : []),
        'tests:',
        ...tests,
      ].join('\n'),
    );
    return file;
  }

  async function verdicts(file: string) {
    const { code, report } = await evalCommand({ config: file, log: () => undefined });
    return { code, rows: Object.fromEntries(report.rows.map((r) => [r.test, r])) };
  }

  it('grades each kind as promptfoo documents it, pass and fail', async () => {
    const file = suite('kinds.yaml', true, [
      '  - description: g-eval pass',
      '    vars: {q: "[[geval|{\\"score\\": 8, \\"reason\\": \\"clear\\"}]]"}',
      '    assert: [{type: g-eval, value: "Is clear [[steps|```json\\n{\\"steps\\": [\\"Read\\"]}\\n```]]"}]',
      '  - description: g-eval fail below 0.7',
      '    vars: {q: "[[geval|{\\"score\\": 6}]]"}',
      '    assert: [{type: g-eval, value: "Is clear [[steps|{\\"steps\\": [\\"Read\\"]}]]"}]',
      '  - description: factuality superset passes',
      '    vars: {q: "[[fact|{\\"category\\": \\"b\\", \\"reason\\": \\"adds detail\\"}]]"}',
      '    assert: [{type: factuality, value: Paris}]',
      '  - description: factuality disagreement fails',
      '    vars: {q: "[[fact|(D) It names Rome]]"}',
      '    assert: [{type: factuality, value: Paris}]',
      '  - description: closedqa Y',
      '    vars: {q: "[[closedqa|It names a city.\\nY]]"}',
      '    assert: [{type: model-graded-closedqa, value: names a city}]',
      '  - description: closedqa N',
      '    vars: {q: "[[closedqa|It does not.\\nN]]"}',
      '    assert: [{type: model-graded-closedqa, value: names a city}]',
      '  - description: answer-relevance same question',
      '    vars: {q: "capital [[question|What is the capital of France?]]", query: What is the capital of France?}',
      '    assert: [{type: answer-relevance}]',
      '  - description: answer-relevance other question',
      '    vars: {q: "capital [[question|How is sourdough bread baked at home?]]", query: What is the capital of France?}',
      '    assert: [{type: answer-relevance}]',
      '  - description: context-recall half attributed',
      '    vars:',
      '      q: recall',
      '      context: "Paris is the capital. [[recall|Sure:\\n1. Paris is the capital. [Attributed]\\n2. It has 2M people. [Not Attributed]]]"',
      '    assert: [{type: context-recall, value: Paris is the capital. It has 2M people., threshold: 0.5}]',
      '  - description: context-recall below threshold',
      '    vars:',
      '      q: recall',
      '      context: "Paris is the capital. [[recall|1. Paris is the capital. [Attributed]\\n2. It has 2M people. [Not Attributed]]]"',
      '    assert: [{type: context-recall, value: Paris is the capital. It has 2M people., threshold: 0.6}]',
      '  - description: context-relevance one line of two',
      '    vars:',
      '      q: relevance',
      '      query: "What is the capital? [[relevance|Paris is the capital of France.]]"',
      '      context: "Paris is the capital of France.\\nBread is cheap."',
      '    assert: [{type: context-relevance, threshold: 0.5}]',
      '  - description: context-relevance insufficient',
      '    vars:',
      '      q: relevance',
      '      query: "What is the capital? [[relevance|Insufficient Information]]"',
      '      context: "Paris is the capital of France.\\nBread is cheap."',
      '    assert: [{type: context-relevance, threshold: 0.1}]',
      '  - description: context-faithfulness all supported',
      '    vars:',
      '      q: "[[statements|Paris is the capital.\\nParis is in France.]]"',
      '      query: What is the capital?',
      '      context: "Paris is the capital of France. [[verdicts|Statement: a Verdict: Yes\\nFinal verdict for each statement in order: Yes. Yes.]]"',
      '    assert: [{type: context-faithfulness, threshold: 0.9}]',
      '  - description: context-faithfulness one unsupported',
      '    vars:',
      '      q: "[[statements|Paris is the capital.\\nParis has 90M people.]]"',
      '      query: What is the capital?',
      '      context: "Paris is the capital of France. [[verdicts|Verdict: Yes\\nVerdict: No]]"',
      '    assert: [{type: context-faithfulness, threshold: 0.9}]',
      '  - description: similar:euclidean identical',
      '    vars: {q: the cat sat}',
      '    assert: [{type: "similar:euclidean", value: "A: the cat sat", threshold: 0.1}]',
      '  - description: similar:dot unrelated',
      '    vars: {q: the cat sat}',
      '    assert: [{type: "similar:dot", value: quarterly revenue grew strongly}]',
    ]);
    const { code, rows } = await verdicts(file);
    assert.equal(code, 1);
    const got = Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, r.verdict]));
    assert.deepEqual(got, {
      'g-eval pass': 'pass',
      'g-eval fail below 0.7': 'fail',
      'factuality superset passes': 'pass',
      'factuality disagreement fails': 'fail',
      'closedqa Y': 'pass',
      'closedqa N': 'fail',
      'answer-relevance same question': 'pass',
      'answer-relevance other question': 'fail',
      'context-recall half attributed': 'pass',
      'context-recall below threshold': 'fail',
      'context-relevance one line of two': 'pass',
      'context-relevance insufficient': 'fail',
      'context-faithfulness all supported': 'pass',
      'context-faithfulness one unsupported': 'fail',
      'similar:euclidean identical': 'pass',
      'similar:dot unrelated': 'fail',
    });
    // Grader and embedding calls went to the suite's server with the suite's key.
    const judge = server.requests.filter((r) => (r.body as Sent | undefined)?.model === 'judge');
    assert.ok(judge.length >= 16, `grader calls: ${judge.length}`);
    for (const r of judge) assert.equal(r.headers.authorization, 'Bearer sk-suite');
    const embeds = server.requests.filter((r) => r.path === '/v1/embeddings');
    assert.ok(embeds.length > 0);
    for (const r of embeds) assert.equal(r.headers.authorization, 'Bearer sk-suite');
  });

  it('records an answer it cannot read as the result error, not a verdict', async () => {
    const file = suite('odd.yaml', true, [
      '  - description: g-eval steps not JSON',
      '    vars: {q: x}',
      '    assert: [{type: g-eval, value: "Is clear [[steps|Step one: read it.]]"}]',
      '  - description: g-eval score out of range',
      '    vars: {q: "[[geval|{\\"score\\": 11}]]"}',
      '    assert: [{type: g-eval, value: "Is clear [[steps|{\\"steps\\": [\\"Read\\"]}]]"}]',
      '  - description: factuality category F',
      '    vars: {q: "[[fact|{\\"category\\": \\"F\\"}]]"}',
      '    assert: [{type: factuality, value: Paris}]',
      '  - description: closedqa without a verdict',
      '    vars: {q: "[[closedqa|I am not sure.]]"}',
      '    assert: [{type: model-graded-closedqa, value: names a city}]',
      '  - description: recall without marks',
      '    vars: {q: x, context: "Paris. [[recall|I cannot tell.]]"}',
      '    assert: [{type: context-recall, value: Paris.}]',
      '  - description: relevance quoting nothing',
      '    vars: {q: x, query: "Capital? [[relevance|I would say it is fine.]]", context: Paris is the capital.}',
      '    assert: [{type: context-relevance}]',
      '  - description: faithfulness without query',
      '    vars: {q: x, context: Paris.}',
      '    assert: [{type: context-faithfulness}]',
    ]);
    const { rows } = await verdicts(file);
    for (const [name, row] of Object.entries(rows)) {
      assert.equal(row.verdict, 'error', `${name}: ${JSON.stringify(row)}`);
    }
    assert.match(JSON.stringify(rows['factuality category F']), /named no category A to E/);
    assert.match(
      JSON.stringify(rows['faithfulness without query']),
      /needs a \\"query\\" variable/,
    );
  });

  it("sends custom rubricPrompts with promptfoo's variables, factuality options and contextTransform", async () => {
    const file = suite('custom.yaml', true, [
      '  - description: factuality custom prompt',
      '    vars: {q: Paris, city: Lyon}',
      '    options:',
      '      rubricPrompt: "FACT input={{ input }} ideal={{ ideal }} completion={{ completion }} city={{ city }}"',
      '    assert: [{type: factuality, value: Paris}]',
      '  - description: disagreement passes when disagree scores above 0',
      '    vars: {q: "[[fact|{\\"category\\": \\"D\\"}]]"}',
      '    options: {factuality: {disagree: 0.5}}',
      '    assert: [{type: factuality, value: Paris}]',
      '  - description: g-eval templates by step',
      '    vars: {q: Paris}',
      '    options:',
      '      rubricPrompt:',
      '        steps: "STEPS for {{ criteria }}"',
      '        evaluate: "EVAL {{ criteria }} / {{ steps }} / {{ maxScore }} / {{ input }} / {{ output }}"',
      '    assert: [{type: g-eval, value: clear}]',
      '  - description: context from the output',
      '    vars: {q: "ctx", query: "What? [[relevance|ctx]]"}',
      '    assert:',
      '      - type: context-relevance',
      '        threshold: 1',
      '        contextTransform: "output.split(\' \')[1]"',
    ]);
    // The custom prompts get a fixed answer, recognised by their own first word.
    server.answer = (prompt) =>
      prompt.startsWith('FACT')
        ? '{"category": "C"}'
        : prompt.startsWith('STEPS')
          ? '{"steps": ["look", "score"]}'
          : prompt.startsWith('EVAL')
            ? '{"score": 10, "reason": "perfect"}'
            : answer(prompt);
    server.requests.length = 0;
    try {
      const { rows } = await verdicts(file);
      assert.deepEqual(Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, r.verdict])), {
        'factuality custom prompt': 'pass',
        'disagreement passes when disagree scores above 0': 'pass',
        'g-eval templates by step': 'pass',
        'context from the output': 'pass',
      });
    } finally {
      server.answer = answer;
    }
    const sent = server.requests
      .map((r) => (r.body as Sent | undefined)?.messages.at(-1)?.content ?? '')
      .filter((c) => /^(FACT|EVAL|STEPS)/.test(c));
    assert.ok(
      sent.includes('FACT input=Q: Paris ideal=Paris completion=A: Paris city=Lyon'),
      sent.join('\n'),
    );
    assert.ok(sent.includes('STEPS for clear'));
    assert.ok(
      sent.includes('EVAL clear / look\n- score / 10 / Q: Paris / A: Paris'),
      sent.join('\n'),
    );
  });

  it('refuses bad values naming the field, before any call', async () => {
    const refused = async (tests: readonly string[], patterns: readonly RegExp[]) => {
      const file = suite('bad.yaml', true, tests);
      await assert.rejects(
        evalCommand({ config: file, log: () => undefined }),
        (error: unknown) => {
          assert.ok(error instanceof SuiteError);
          for (const pattern of patterns) assert.match(error.message, pattern);
          return true;
        },
      );
    };
    server.requests.length = 0;
    await refused(
      [
        '  - vars: {q: x}',
        '    assert:',
        '      - {type: g-eval, value: []}',
        '      - {type: context-faithfulness, value: x}',
        '      - {type: factuality, value: Paris, contextTransform: output}',
      ],
      [
        /tests\[0\]\.assert\[0\]\.value/,
        /tests\[0\]\.assert\[1\]\.value: is not used by context-faithfulness/,
        /tests\[0\]\.assert\[2\]\.contextTransform: is not used by factuality/,
      ],
    );
    await refused(
      [
        '  - vars: {q: x}',
        '    options: {factuality: {subset: 2}}',
        '    assert: [{type: factuality, value: P}]',
      ],
      [/tests\[0\]\.options\.factuality\.subset: must be between 0 and 1/],
    );
    assert.equal(server.requests.length, 0);
  });

  it('exits 2 without a grader naming the three ways, and 1 with a grader that answers fail', async () => {
    const tests = [
      '  - vars: {q: "[[fact|(D) wrong]]", query: "What? [[question|Why is the sky blue?]]"}',
      '    assert:',
      '      - {type: factuality, value: Paris}',
      '      - {type: answer-relevance}',
      '      - {type: context-recall, value: Paris., threshold: 0.5}',
    ];
    const none = await cli(['eval', '-c', suite('none.yaml', false, tests)], dir.path);
    assert.equal(none.code, 2, none.out);
    assert.match(
      none.out,
      /factuality, answer-relevance, context-recall need a grader and none is configured: set defaultTest\.options\.provider.*--grader.*GRADER_MODEL/,
    );
    assert.match(none.out, /answer-relevance needs an embedding model/);
    const failing = [
      '  - vars: {q: "[[fact|(D) wrong]]", context: "Paris. [[recall|1. Paris. [Not Attributed]]]"}',
      '    assert:',
      '      - {type: factuality, value: Paris}',
      '      - {type: context-recall, value: Paris., threshold: 0.5}',
    ];
    const graded = await cli(['eval', '-c', suite('graded.yaml', true, failing)], dir.path);
    assert.equal(graded.code, 1, graded.out);
  });
});
