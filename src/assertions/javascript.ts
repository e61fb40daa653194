/**
 * promptfoo's `javascript` assertion: code run in the sandbox (`util/js-sandbox.ts`: no file
 * system, network or process; 1 s and 32 MiB per call) with `output` and `context` (`vars`,
 * `prompt`) as promptfoo passes them. It returns a boolean (the verdict), a number (the
 * score; passes at the threshold when one is given, else when above 0) or a grading result
 * `{pass, score?, reason?}`. A script that throws or times out fails the assertion, naming why.
 */
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';
import { runInSandbox, SandboxError } from '../util/index.js';
import { structuredOutput } from './transform.js';

export const javascript = defineAssertion({
  type: 'javascript',
  description:
    'JavaScript over output and context, run in a sandbox: true/false, a score, or {pass, score, reason}',
  valueSchema: z.string({ error: 'must be JavaScript code' }).min(1).max(100_000),
  defaultThreshold: Number.MIN_VALUE,
  async evaluate(code, threshold, context) {
    const { vars, prompt } = context;
    let result: unknown;
    try {
      result = await runInSandbox(code, structuredOutput(context), {
        vars: vars ?? {},
        prompt,
        config: context.config ?? {},
      });
    } catch (error) {
      if (error instanceof SandboxError)
        return binary(false, `JavaScript failed: ${error.message}`);
      throw error;
    }
    if (typeof result === 'boolean') return binary(result, `JavaScript returned ${result}`);
    if (typeof result === 'number') {
      const score = Math.min(1, Math.max(0, result));
      return { pass: result >= threshold, score, reason: `JavaScript returned ${result}` };
    }
    if (result !== null && typeof result === 'object' && 'pass' in result) {
      const r = result as { pass: unknown; score?: unknown; reason?: unknown };
      const pass = r.pass === true;
      const score = typeof r.score === 'number' ? r.score : pass ? 1 : 0;
      return {
        pass,
        score,
        reason: typeof r.reason === 'string' ? r.reason : `JavaScript returned pass: ${pass}`,
      };
    }
    return binary(
      false,
      `JavaScript returned ${JSON.stringify(result) ?? 'undefined'}, not a boolean, number or {pass}`,
    );
  },
});
