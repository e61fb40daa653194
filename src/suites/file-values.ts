/**
 * The `file://` values inside tests, read as promptfoo reads them: a test's `vars: file://…`
 * (a YAML or JSON object of vars), a var whose value is `file://…` (a text file's content; a
 * .json or .yaml file parsed; a glob the list of its files' contents, one test each), and a `javascript` assertion's `file://…` code. Problems are
 * added to `issues`; what could be read is returned.
 */
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { literalValue } from '../assertions/index.js';
import { expandFileRef, GLOB } from './file-glob.js';
import { readText } from './load-suite.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import {
  FILE_REF,
  type DefaultTest,
  type SuiteAssertion,
  type SuiteFile,
  type SuiteTest,
} from './suite-schema.js';
import { withTest, type SourcedTest } from './tests-file.js';

async function fileValue(ref: string, baseDir: string, file: string, path: string) {
  const target = resolve(baseDir, ref.replace(FILE_REF, ''));
  const text = await readText(target, file, path);
  const ext = extname(target).toLowerCase();
  if (ext === '.json') return JSON.parse(text) as unknown;
  if (ext === '.yaml' || ext === '.yml') return parseYaml(text) as unknown;
  return text;
}

/**
 * A `rubricPrompt: file://…` read: text as it is, `.json`/`.yaml` parsed (a message list);
 * a `.js`/`.py` prompt function is refused (code outside a sandbox). Undefined when the value
 * is not a file reference.
 */
async function rubricPromptFile(
  value: unknown,
  baseDir: string,
  file: string,
  path: string,
): Promise<string | unknown[] | undefined> {
  if (typeof value !== 'string' || !FILE_REF.test(value)) return undefined;
  if (/\.(c|m)?(js|ts|py)(:\w+)?$/.test(value))
    throw new SuiteError([
      {
        file,
        path,
        message: `${value}: rubricPrompt functions (.js, .py) run code outside a sandbox; give the prompt as text, .json or .yaml`,
      },
    ]);
  const read = await fileValue(value, baseDir, file, path);
  return typeof read === 'string' || Array.isArray(read) ? read : JSON.stringify(read);
}

async function resolveTest<T extends SuiteTest | DefaultTest>(
  test: T,
  baseDir: string,
  file: string,
  path: string,
): Promise<T> {
  let vars = test.vars;
  if (typeof vars === 'string') {
    if (!FILE_REF.test(vars))
      throw new SuiteError([
        { file, path: `${path}.vars`, message: 'must be an object or a file:// reference' },
      ]);
    const loaded = await fileValue(vars, baseDir, file, `${path}.vars`);
    if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded))
      throw new SuiteError([
        { file, path: `${path}.vars`, message: `${vars} is not an object of vars` },
      ]);
    vars = loaded as Record<string, unknown>;
  }
  const resolvedVars: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars ?? {})) {
    if (typeof value !== 'string' || !FILE_REF.test(value)) {
      resolvedVars[name] = value;
      continue;
    }
    const at = `${path}.vars.${name}`;
    // A glob is one value per file it matches: a list, so one test per file (promptfoo's).
    resolvedVars[name] = GLOB.test(value)
      ? await Promise.all(
          (await expandFileRef(value, baseDir, file, at)).map((target) =>
            fileValue(target, baseDir, file, at),
          ),
        )
      : await fileValue(value, baseDir, file, at);
  }
  // A javascript or python assertion's file:// code is read, in assert-set members too
  // (python keeps the function it names: `file://check.py:fn`), and so is a rubricPrompt.
  const resolveAssertion = async (a: SuiteAssertion): Promise<SuiteAssertion> => {
    if (a.type === 'assert-set' && a.assert !== undefined)
      return { ...a, assert: await Promise.all(a.assert.map(resolveAssertion)) };
    const base = a.type.replace(/^not-/, '');
    const rubricPrompt = await rubricPromptFile(a.rubricPrompt, baseDir, file, path);
    const out = rubricPrompt === undefined ? a : { ...a, rubricPrompt };
    if (typeof a.value !== 'string' || !FILE_REF.test(a.value)) return out;
    // The file's code runs as written: not rendered with the vars as inline code is.
    if (base === 'javascript')
      return {
        ...out,
        value: literalValue(
          await readText(
            resolve(baseDir, a.value.replace(FILE_REF, '').replace(/:\w+$/, '')),
            file,
            path,
          ),
        ),
      };
    if (base === 'python') {
      const [, target = '', fn] = /^file:\/\/(.+?\.py)(?::(\w+))?$/.exec(a.value) ?? [];
      const code = await readText(resolve(baseDir, target), file, path);
      return { ...out, value: { code, function: fn ?? 'get_assert' } };
    }
    return out;
  };
  const assert = await Promise.all((test.assert ?? []).map(resolveAssertion));
  const optionsPrompt = await rubricPromptFile(
    test.options?.rubricPrompt,
    baseDir,
    file,
    `${path}.options.rubricPrompt`,
  );
  return {
    ...test,
    ...(test.vars === undefined ? {} : { vars: resolvedVars }),
    ...(test.assert === undefined ? {} : { assert }),
    ...(optionsPrompt === undefined
      ? {}
      : { options: { ...test.options, rubricPrompt: optionsPrompt } }),
  };
}

export async function resolveFileValues(
  tests: readonly SourcedTest[],
  defaultTest: DefaultTest | undefined,
  baseDir: string,
  file: string,
  issues: SuiteIssue[],
): Promise<{ tests: SourcedTest[]; defaultTest: DefaultTest | undefined }> {
  const out: SourcedTest[] = [];
  for (const sourced of tests) {
    try {
      out.push(withTest(sourced, await resolveTest(sourced.test, baseDir, file, sourced.path)));
    } catch (error) {
      if (!(error instanceof SuiteError)) throw error;
      issues.push(...error.issues);
      out.push(sourced);
    }
  }
  let resolvedDefault = defaultTest;
  if (defaultTest !== undefined)
    try {
      resolvedDefault = await resolveTest(defaultTest, baseDir, file, 'defaultTest');
    } catch (error) {
      if (!(error instanceof SuiteError)) throw error;
      issues.push(...error.issues);
    }
  return { tests: out, defaultTest: resolvedDefault };
}

/** Provider `config` values given as `file://` (tools, functions, response_format), read in place. */
export async function resolveProviderFiles(
  suite: SuiteFile,
  baseDir: string,
  file: string,
): Promise<void> {
  const list = Array.isArray(suite.providers) ? suite.providers : [suite.providers];
  for (const [index, entry] of list.entries()) {
    if (typeof entry === 'string' || entry.config === undefined) continue;
    const config = entry.config as Record<string, unknown>;
    for (const key of ['tools', 'functions', 'response_format'])
      if (typeof config[key] === 'string')
        config[key] = await fileValue(
          config[key],
          baseDir,
          file,
          `providers[${index}].config.${key}`,
        );
  }
}
