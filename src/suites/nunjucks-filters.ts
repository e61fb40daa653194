/**
 * promptfoo's `nunjucksFilters`: each filter's JavaScript module read beside the suite
 * (`allcaps: ./allcaps.js`, or `file://allcaps.js`), kept as source for the sandbox
 * (render-prompt.ts runs each call there: no file system, network or process). A file that
 * cannot be read, or is no JavaScript, is an issue at `nunjucksFilters.<name>`, with its line.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { prepareSandbox } from '../util/index.js';
import type { LocatedDocument } from './located-document.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import type { PromptFilters } from './render-prompt.js';

const JAVASCRIPT = new Set(['.js', '.cjs', '.mjs']);

/** Name → module source; the sandbox is loaded when there is a filter. */
export async function loadFilters(
  written: Readonly<Record<string, string>> | undefined,
  baseDir: string,
  document: LocatedDocument,
): Promise<PromptFilters> {
  const filters: Record<string, string> = {};
  const issues: SuiteIssue[] = [];
  for (const [name, ref] of Object.entries(written ?? {})) {
    const at = ['nunjucksFilters', name];
    const target = resolve(baseDir, ref.replace(/^file:\/\//, ''));
    if (!JAVASCRIPT.has(extname(target).toLowerCase())) {
      issues.push(document.issue(at, 'must name a JavaScript module (.js, .cjs, .mjs)'));
      continue;
    }
    try {
      filters[name] = (await readFile(target, 'utf8')).replace(/^\uFEFF/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push(document.issue(at, `cannot read ${target} (${code})`));
    }
  }
  if (issues.length > 0) throw new SuiteError(issues);
  if (Object.keys(filters).length > 0) await prepareSandbox();
  return filters;
}
