/**
 * promptfoo's `python` assertion, run by `util/python-runner.ts` in a child interpreter (a
 * deadline, a memory limit, no network where the kernel allows): inline code is the body of
 * `main(output, context)` (one line is returned, as promptfoo builds it), a `file://x.py[:fn]`
 * (read when the suite is loaded, `{code, function}`) has `get_assert(output, context)` or the
 * named function called. `context` has `vars`, `prompt`, `test.vars` and `config`. The result,
 * as promptfoo reads it: a boolean (or "true"/"false"), a number (the score: passes above 0,
 * or at the threshold when one is given), or `{pass, score?, reason?}` (also as JSON text);
 * a given threshold also needs the score. Code that raises or times out fails the assertion,
 * naming why; no interpreter means it could not be evaluated. Allowed only where
 * `allowLocalCode` was called (the `eval` command), never on a service.
 */
import { z } from 'zod';
import { binary, defineAssertion, type AssertionOutcome } from './assertion.js';
import { localPython } from './local-code.js';
import { PythonError, runPython } from '../util/index.js';
import { structuredOutput } from './transform.js';

const valueSchema = z.union(
  [
    z.string().min(1).max(100_000),
    z.strictObject({
      code: z.string().min(1).max(1_000_000),
      function: z.string().regex(/^[A-Za-z_]\w*$/, 'must be a Python function name'),
    }),
  ],
  { error: 'must be Python code, or {code, function} of a file' },
);

/** promptfoo's wrapping of inline code: `def main(output, context):` around it. */
export function inlineScript(code: string): string {
  const multiline = code.includes('\n');
  const indent = multiline ? (/^(?!\s*$)\s+/m.exec(code)?.[0] ?? '    ') : '    ';
  const body = multiline
    ? code
        .split('\n')
        .map((line) => `${indent}${line}`)
        .join('\n')
    : `    return ${code}`;
  return `import json\n\ndef main(output, context):\n${body}\n`;
}

function fromObject(raw: Record<string, unknown>, threshold: number | undefined) {
  if (typeof raw.pass !== 'boolean' && typeof raw.score !== 'number')
    return binary(false, `Python returned ${JSON.stringify(raw)}, not {pass, score, reason}`);
  const score = typeof raw.score === 'number' ? raw.score : raw.pass === true ? 1 : 0;
  let pass = typeof raw.pass === 'boolean' ? raw.pass : score > 0;
  let reason = typeof raw.reason === 'string' ? raw.reason : `Python returned pass: ${pass}`;
  if (threshold !== undefined && score < threshold) {
    pass = false;
    reason = `Python score ${score} is less than threshold ${threshold}: ${reason}`;
  }
  return { pass, score, reason };
}

/** A script's result as promptfoo's normalizeScriptResult reads it. */
export function scriptOutcome(result: unknown, threshold: number | undefined): AssertionOutcome {
  const lower = typeof result === 'string' ? result.toLowerCase() : undefined;
  if (result === true || lower === 'true') return binary(true, 'Python returned true');
  if (result === false || lower === 'false') return binary(false, 'Python returned false');
  if (typeof result === 'string' && result.startsWith('{')) {
    try {
      return scriptOutcome(JSON.parse(result) as unknown, threshold);
    } catch {
      return binary(false, `Python returned invalid JSON: ${result.slice(0, 200)}`);
    }
  }
  if (result !== null && typeof result === 'object' && !Array.isArray(result))
    return fromObject(result as Record<string, unknown>, threshold);
  const score = typeof result === 'number' ? result : Number.parseFloat(String(result));
  if (Number.isNaN(score))
    return binary(
      false,
      `Python returned ${JSON.stringify(result)}, not a boolean, number or {pass, score, reason}`,
    );
  const pass = threshold === undefined ? score > 0 : score >= threshold;
  return { pass, score, reason: `Python returned ${score}` };
}

export const python = defineAssertion({
  type: 'python',
  description:
    'Python over output and context, run by python3 in a child process (eval command only): true/false, a score, or {pass, score, reason}',
  valueSchema,
  defaultThreshold: Number.MIN_VALUE,
  runsLocalCode: true,
  async evaluate(value, _threshold, context) {
    const interpreter = localPython();
    if (interpreter === undefined)
      throw new Error('python assertions run only in the prompt-cards eval command');
    const { vars = {}, prompt } = context;
    const pythonContext = {
      vars,
      prompt: prompt ?? '',
      test: { vars },
      config: context.config ?? {},
    };
    const [code, fn] =
      typeof value === 'string' ? [inlineScript(value), 'main'] : [value.code, value.function];
    try {
      const result = await runPython(code, fn, [structuredOutput(context), pythonContext], {
        interpreter,
      });
      return scriptOutcome(result, context.ownThreshold);
    } catch (error) {
      if (error instanceof PythonError && !error.missing)
        return binary(false, `Python code execution failed: ${error.message}`);
      throw error;
    }
  },
});
