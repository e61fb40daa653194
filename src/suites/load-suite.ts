/**
 * Reads a suite file and everything it references with `file://` (prompt files and globs,
 * JSON chat prompts, tests files and globs, vars files and file-valued vars, `file://` code of
 * javascript assertions, a defaultTest file), relative to the file that names them, and applies
 * `transformVars` (which runs before any prompt is rendered). Every
 * problem is collected and thrown at once. Validation of the combined suite (assertion kinds,
 * variables, providers) is `planSuite`'s job; this module only reads.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { expandFileRef } from './file-glob.js';
import { LocatedDocument } from './located-document.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import {
  defaultTestSchema,
  FILE_REF,
  suiteFileSchema,
  type DefaultTest,
  type SuiteFile,
} from './suite-schema.js';
import { parseTestsFile, type SourcedTest } from './tests-file.js';
import { rawIssues } from './raw-issues.js';
import { resolveFileValues, resolveProviderFiles } from './file-values.js';
import { expandScenarios } from './scenarios.js';
import { applyTransformVars } from './transform-vars.js';
import { loadFilters } from './nunjucks-filters.js';
import type { PromptFilters } from './render-prompt.js';

export interface LoadedPrompt {
  readonly label: string;
  /** promptfoo's prompt id (its file reference or the label); per-provider `prompts` name it. */
  readonly id: string;
  readonly template: string;
  /** Where it was written: `prompts[1]` or a file. */
  readonly source: string;
}

export interface LoadedSuite {
  readonly file: string;
  readonly suite: SuiteFile;
  readonly prompts: readonly LoadedPrompt[];
  readonly tests: readonly SourcedTest[];
  readonly defaultTest: DefaultTest | undefined;
  /** Positions in the suite file, for the issues found while planning. */
  readonly document: LocatedDocument;
  /** The custom Nunjucks filters (`nunjucksFilters`): name → module source. */
  readonly filters: PromptFilters;
}

export async function readText(file: string, from: string, path: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SuiteError([{ file: from, path, message: `cannot read ${file} (${code})` }]);
  }
}

/** Runs `step`, turning its SuiteError into collected issues. */
async function collect(issues: SuiteIssue[], step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof SuiteError) issues.push(...error.issues);
    else throw error;
  }
}

const TEXT_PROMPT = ['.txt', '.md', '.prompt', '.j2', '.njk', ''];

async function loadPromptFile(
  ref: string,
  baseDir: string,
  file: string,
  source: string,
  label: string | undefined,
): Promise<LoadedPrompt[]> {
  const out: LoadedPrompt[] = [];
  for (const target of await expandFileRef(ref, baseDir, file, source)) {
    const ext = extname(target).toLowerCase();
    const text = await readText(target, file, source);
    if (ext === '.json') {
      // A chat prompt: a JSON list of {role, content} messages, sent as messages after rendering.
      out.push({
        label: label ?? ref,
        id: ref,
        template: text.trim(),
        source: `${source} (${target})`,
      });
      continue;
    }
    if (!TEXT_PROMPT.includes(ext))
      throw new SuiteError([
        {
          file,
          path: source,
          message: `unsupported prompt file type "${ext}": prompt functions (.js, .py) run code outside a sandbox; use text (.txt, .md, .prompt, .j2) or a JSON chat prompt (.json)`,
          unsupported: `prompt file ${ext}`,
        },
      ]);
    // promptfoo splits a text prompt file into several prompts at lines of three dashes.
    const parts = text.split(/\n-{3,}\n/);
    parts.forEach((part, i) =>
      out.push({
        label: label ?? (parts.length === 1 ? ref : `${ref}#${i + 1}`),
        id: ref,
        template: part.trim(),
        source: `${source} (${target})`,
      }),
    );
  }
  return out;
}

export async function loadSuite(path: string): Promise<LoadedSuite> {
  const file = resolve(path);
  const baseDir = dirname(file);
  const document = LocatedDocument.parse(path, await readText(file, path, ''));
  let suite: SuiteFile;
  try {
    suite = document.validate(suiteFileSchema);
  } catch (error) {
    if (!(error instanceof SuiteError)) throw error;
    throw new SuiteError([...error.issues, ...rawIssues(document)]);
  }
  const issues: SuiteIssue[] = [];

  const prompts: LoadedPrompt[] = [];
  const promptList = Array.isArray(suite.prompts) ? suite.prompts : [suite.prompts];
  for (const [index, prompt] of promptList.entries()) {
    const source = Array.isArray(suite.prompts) ? `prompts[${index}]` : 'prompts';
    await collect(issues, async () => {
      if (typeof prompt === 'string') {
        if (FILE_REF.test(prompt))
          prompts.push(...(await loadPromptFile(prompt, baseDir, path, source, undefined)));
        else prompts.push({ label: prompt, id: prompt, template: prompt, source });
        return;
      }
      const raw = prompt.raw ?? prompt.id;
      if (raw === undefined)
        throw new SuiteError([{ file: path, path: source, message: 'needs raw or id' }]);
      if (prompt.raw === undefined && FILE_REF.test(raw))
        prompts.push(...(await loadPromptFile(raw, baseDir, path, source, prompt.label)));
      else
        prompts.push({
          label: prompt.label ?? prompt.id ?? raw,
          id: prompt.id ?? prompt.label ?? raw,
          template: raw,
          source,
        });
    });
  }

  const tests: SourcedTest[] = [];
  const entries = typeof suite.tests === 'string' ? [suite.tests] : suite.tests;
  for (const [index, entry] of entries.entries()) {
    const at = typeof suite.tests === 'string' ? 'tests' : `tests[${index}]`;
    if (typeof entry !== 'string') {
      tests.push(document.withLine({ test: entry, file: path, path: at }, ['tests', index]));
      continue;
    }
    if (!FILE_REF.test(entry)) {
      issues.push(
        document.issue(
          typeof suite.tests === 'string' ? ['tests'] : ['tests', index],
          'must be a test object or a file:// reference',
        ),
      );
      continue;
    }
    await collect(issues, async () => {
      for (const target of await expandFileRef(entry, baseDir, path, at))
        tests.push(...parseTestsFile(target, await readText(target, path, at)));
    });
  }

  tests.push(...expandScenarios(suite.scenarios, path, document, issues));

  let defaultTest: DefaultTest | undefined;
  await collect(issues, async () => {
    if (typeof suite.defaultTest === 'string') {
      if (!FILE_REF.test(suite.defaultTest))
        throw new SuiteError([
          document.issue(['defaultTest'], 'must be an object or a file:// reference'),
        ]);
      const target = resolve(baseDir, suite.defaultTest.replace(FILE_REF, ''));
      defaultTest = LocatedDocument.parse(
        target,
        await readText(target, path, 'defaultTest'),
      ).validate(defaultTestSchema);
    } else defaultTest = suite.defaultTest;
  });

  await collect(issues, () => resolveProviderFiles(suite, baseDir, path));
  let filters: PromptFilters = {};
  await collect(issues, async () => {
    filters = await loadFilters(suite.nunjucksFilters, baseDir, document);
  });
  const resolved = await resolveFileValues(tests, defaultTest, baseDir, path, issues);
  const transformed =
    issues.length > 0
      ? resolved.tests
      : await applyTransformVars(resolved.tests, resolved.defaultTest, baseDir, path, issues);
  if (issues.length > 0) throw new SuiteError(issues);
  return {
    file: path,
    suite,
    prompts,
    tests: transformed,
    defaultTest: resolved.defaultTest,
    document,
    filters,
  };
}
