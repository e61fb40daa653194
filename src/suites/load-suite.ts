/**
 * Reads a suite file and everything it references with `file://` (prompt files, tests files,
 * a defaultTest file), relative to the file that names them. Validation of the combined suite
 * (assertion kinds, variables, providers) is `planSuite`'s job; this module only reads.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { LocatedDocument } from './located-document.js';
import { SuiteError } from './suite-error.js';
import {
  defaultTestSchema,
  FILE_REF,
  suiteFileSchema,
  type DefaultTest,
  type SuiteFile,
} from './suite-schema.js';
import { parseTestsFile, type SourcedTest } from './tests-file.js';

export interface LoadedPrompt {
  readonly label: string;
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
}

async function readText(file: string, from: string, path: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SuiteError([{ file: from, path, message: `cannot read ${file} (${code})` }]);
  }
}

function refPath(ref: string, baseDir: string): string {
  return resolve(baseDir, ref.replace(FILE_REF, ''));
}

export async function loadSuite(path: string): Promise<LoadedSuite> {
  const file = resolve(path);
  const baseDir = dirname(file);
  const document = LocatedDocument.parse(path, await readText(file, path, ''));
  const suite = document.validate(suiteFileSchema);

  const prompts: LoadedPrompt[] = [];
  const promptList = Array.isArray(suite.prompts) ? suite.prompts : [suite.prompts];
  for (const [index, prompt] of promptList.entries()) {
    const at: (string | number)[] = Array.isArray(suite.prompts) ? ['prompts', index] : ['prompts'];
    const source = Array.isArray(suite.prompts) ? `prompts[${index}]` : 'prompts';
    if (typeof prompt !== 'string') {
      prompts.push({
        label: prompt.label ?? prompt.id ?? prompt.raw,
        template: prompt.raw,
        source,
      });
    } else if (FILE_REF.test(prompt)) {
      const target = refPath(prompt, baseDir);
      const ext = extname(target).toLowerCase();
      if (!['.txt', '.md', '.prompt', ''].includes(ext)) {
        throw new SuiteError([
          document.issue(
            at,
            `unsupported prompt file type "${ext}" (text prompts only: .txt, .md, .prompt)`,
          ),
        ]);
      }
      // promptfoo splits a prompt file into several prompts at lines of three dashes.
      const parts = (await readText(target, path, source)).split(/\n-{3,}\n/);
      parts.forEach((part, i) =>
        prompts.push({
          label: parts.length === 1 ? prompt : `${prompt}#${i + 1}`,
          template: part.trim(),
          source: `${source} (${target})`,
        }),
      );
    } else {
      prompts.push({ label: prompt, template: prompt, source });
    }
  }

  const tests: SourcedTest[] = [];
  const entries = typeof suite.tests === 'string' ? [suite.tests] : suite.tests;
  for (const [index, entry] of entries.entries()) {
    const at = typeof suite.tests === 'string' ? 'tests' : `tests[${index}]`;
    if (typeof entry !== 'string') {
      const line = document.lineOf(['tests', index]);
      tests.push({ test: entry, file: path, path: at, ...(line === undefined ? {} : { line }) });
      continue;
    }
    if (!FILE_REF.test(entry)) {
      throw new SuiteError([
        document.issue(
          typeof suite.tests === 'string' ? ['tests'] : ['tests', index],
          'must be a test object or a file:// reference',
        ),
      ]);
    }
    const target = refPath(entry, baseDir);
    tests.push(...parseTestsFile(target, await readText(target, path, at)));
  }

  let defaultTest: DefaultTest | undefined;
  if (typeof suite.defaultTest === 'string') {
    if (!FILE_REF.test(suite.defaultTest))
      throw new SuiteError([
        document.issue(['defaultTest'], 'must be an object or a file:// reference'),
      ]);
    const target = refPath(suite.defaultTest, baseDir);
    defaultTest = LocatedDocument.parse(
      target,
      await readText(target, path, 'defaultTest'),
    ).validate(defaultTestSchema);
  } else defaultTest = suite.defaultTest;

  return { file: path, suite, prompts, tests, defaultTest, document };
}
