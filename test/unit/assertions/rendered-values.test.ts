/**
 * Assertion values are Nunjucks templates over the test's vars, as promptfoo renders them
 * before judging: string values and the string items of list values; objects, numbers,
 * thresholds and `file://` references as written. Evaluated as the run engine evaluates them
 * (evaluateAssertions, shared by the one-process service, the workers and the CLI).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { literalValue } from '../../../src/assertions/index.js';
import { checkAssertion } from '../../support/assertion-check.js';

const vars = { fruit: 'banana', a: 'kiwi', n: 3 };

async function verdict(spec: Record<string, unknown>, output: string, over = {}) {
  const result = await checkAssertion(spec, output, { vars, ...over });
  assert.equal(result.error, undefined, result.reason);
  return result;
}

describe('assertion values rendered with the test vars', () => {
  it('gives a template no way to the Function constructor (code in the service process)', async () => {
    // Nunjucks has no sandbox: `range.constructor` is Function, so a value sent to the API ran
    // any code in the server or worker (`process.env` included) before this was refused.
    for (const value of [
      '{{ range.constructor("return process.pid")() }}',
      '{{ cycler["constr" + "uctor"]("return process.pid")() }}',
      '{{ "".__proto__ }}',
      '{% set f = joiner.prototype %}{{ f }}',
    ]) {
      const result = await checkAssertion(
        { type: 'contains', value },
        `pid ${String(process.pid)}`,
        { vars },
      );
      assert.equal(result.pass, false, value);
      assert.match(result.error ?? result.reason, /may not read/, value);
    }
  });

  it('renders a string value: contains {{fruit}} passes on the var, not on the braces', async () => {
    assert.equal((await verdict({ type: 'contains', value: '{{fruit}}' }, 'a banana')).pass, true);
    assert.equal(
      (await verdict({ type: 'contains', value: '{{fruit}}' }, 'literally {{fruit}}')).pass,
      false,
    );
    assert.equal(
      (await verdict({ type: 'not-contains', value: '{{ fruit }}' }, 'an apple')).pass,
      true,
    );
    assert.equal(
      (await verdict({ type: 'equals', value: '{{fruit | upper}} x{{n}}' }, 'BANANA x3')).pass,
      true,
    );
  });

  it('renders the string items of a list value (icontains-any), keeping the others', async () => {
    assert.equal(
      (await verdict({ type: 'icontains-any', value: ['{{a}}', 'mango'] }, 'A KIWI')).pass,
      true,
    );
    assert.equal(
      (await verdict({ type: 'contains-all', value: ['{{a}}', '{{fruit}}'] }, 'kiwi banana')).pass,
      true,
    );
  });

  it('renders text metrics and keeps the threshold numeric', async () => {
    const result = await verdict(
      { type: 'levenshtein', value: 'hello {{fruit}}', threshold: 0 },
      'hello banana',
    );
    assert.equal(result.pass, true, result.reason);
    assert.equal(
      (await verdict({ type: 'rouge-n', value: '{{fruit}} split' }, 'banana split')).pass,
      true,
    );
  });

  it('gives the grader the rendered rubric (llm-rubric)', async () => {
    let seen = '';
    const result = await verdict({ type: 'llm-rubric', value: 'Mentions {{fruit}}' }, 'x', {
      grade: (rubric: string) => {
        seen = rubric;
        return Promise.resolve({ score: 1, reason: 'ok' });
      },
    });
    assert.equal(result.pass, true);
    assert.equal(seen, 'Mentions banana');
  });

  it('renders inline javascript as promptfoo does, and leaves a JSON schema object alone', async () => {
    assert.equal(
      (await verdict({ type: 'javascript', value: "output === '{{fruit}}'" }, 'banana')).pass,
      true,
    );
    const schema = { type: 'object', properties: { k: { const: '{{fruit}}' } }, required: ['k'] };
    assert.equal(
      (await verdict({ type: 'contains-json', value: schema }, '{"k": "{{fruit}}"}')).pass,
      true,
    );
  });

  it('renders an undefined variable as empty text and names it in the reason', async () => {
    const result = await verdict({ type: 'contains', value: 'x{{missing}}' }, 'x');
    assert.equal(result.pass, true);
    assert.match(result.reason, /undefined variable missing/);
  });

  it('makes a value that renders to nothing the kind takes an error, not a vacuous pass', async () => {
    const result = await checkAssertion({ type: 'contains', value: '{{missing}}' }, 'x', { vars });
    assert.equal(result.pass, false);
    assert.ok(result.error !== undefined, result.reason);
    assert.match(result.reason, /missing/);
    // The suite's mistake, not the service's.
    assert.equal(result.error_type, 'invalid_assertion');
  });

  it('makes a value that does not parse as Nunjucks an error naming the cause', async () => {
    const result = await checkAssertion({ type: 'contains', value: '{{ fruit' }, 'x', { vars });
    assert.equal(result.pass, false);
    assert.match(result.error ?? '', /Nunjucks/);
    assert.equal(result.error_type, 'invalid_assertion');
  });

  it('runs file:// javascript as written: its braces are not a template', async () => {
    const code = "output === '{{fruit}}'";
    assert.equal(
      (await verdict({ type: 'javascript', value: literalValue(code) }, '{{fruit}}')).pass,
      true,
    );
    assert.equal(literalValue('output.length > 1'), 'output.length > 1');
  });
});
