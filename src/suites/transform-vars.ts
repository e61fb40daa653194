/**
 * promptfoo's `options.transformVars` (on a test or on defaultTest): JavaScript run in the
 * sandbox before the prompts are rendered, with `vars` (the test's vars over defaultTest's)
 * and `context` (`{prompt: {}, uuid}`), returning an object whose keys are laid over the vars.
 * Code is inline (an expression or a function body) or `file://x.js` exporting
 * `(vars, context) => …`. Like promptfoo, it runs once per test, before list-valued vars are
 * expanded; a throw or a result that is not an object is a problem naming the test.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { functionBody, runInSandbox, SandboxError } from '../util/index.js';
import { readText } from './load-suite.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import { FILE_REF, type DefaultTest } from './suite-schema.js';
import { withTest, type SourcedTest } from './tests-file.js';

const MODULE_FORM = /module\.exports\s*=|exports\.\w+\s*=/;

/** The sandbox calls code as `(output, context)`: the vars go in as `output`, named `vars`. */
function varsFunction(code: string): string {
  if (MODULE_FORM.test(code)) return code;
  return `return (function (vars, context) {\n${functionBody(code)}\n})(output, context);`;
}

async function codeOf(code: string, baseDir: string, file: string, path: string) {
  if (!FILE_REF.test(code)) return code;
  return readText(resolve(baseDir, code.replace(FILE_REF, '').replace(/:\w+$/, '')), file, path);
}

/**
 * The tests with `transformVars` applied: each test's vars replaced by the merged, transformed
 * vars and the option removed. Problems go to `issues`; such a test is returned unchanged.
 */
export async function applyTransformVars(
  tests: readonly SourcedTest[],
  defaultTest: DefaultTest | undefined,
  baseDir: string,
  file: string,
  issues: SuiteIssue[],
): Promise<SourcedTest[]> {
  const fallback = defaultTest?.options?.transformVars;
  const out: SourcedTest[] = [];
  for (const sourced of tests) {
    const { test } = sourced;
    const written = test.options?.transformVars ?? fallback;
    if (written === undefined) {
      out.push(sourced);
      continue;
    }
    const path = `${sourced.path}.options.transformVars`;
    const vars = {
      ...(typeof defaultTest?.vars === 'object' ? defaultTest.vars : {}),
      ...(typeof test.vars === 'object' ? test.vars : {}),
    };
    try {
      const code = varsFunction(await codeOf(written, baseDir, file, path));
      const result = await runInSandbox(code, vars, { prompt: {}, uuid: randomUUID() });
      if (result === null || typeof result !== 'object' || Array.isArray(result))
        throw new SandboxError('must return an object of vars');
      const options = { ...test.options };
      delete options.transformVars;
      out.push(
        withTest(sourced, {
          ...test,
          vars: { ...vars, ...(result as Record<string, unknown>) },
          options,
        }),
      );
    } catch (error) {
      if (error instanceof SuiteError) {
        issues.push(...error.issues);
        out.push(sourced);
        continue;
      }
      if (!(error instanceof SandboxError)) throw error;
      issues.push({
        file: sourced.file,
        path,
        ...(sourced.line === undefined ? {} : { line: sourced.line }),
        message: `transformVars failed: ${error.message}`,
      });
      out.push(sourced);
    }
  }
  return out;
}
