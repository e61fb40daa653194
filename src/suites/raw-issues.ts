/**
 * When a suite file fails its schema, the problems planning would find next (a provider we do
 * not run, an assertion kind no tool knows) are looked for in the raw document too, so one
 * refusal does not hide the next: every problem of a file is reported in one go.
 */
import { ASSERTION_TYPES } from '../assertions/index.js';
import { kindOf } from '../assertions/index.js';
import { PROMPTFOO_TYPES } from '../assertions/index.js';
import { didYouMean } from './did-you-mean.js';
import type { LocatedDocument } from './located-document.js';
import type { SuiteIssue } from './suite-error.js';
import { planProvider } from './suite-providers.js';

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

export function rawIssues(document: LocatedDocument): SuiteIssue[] {
  const root = document.value() as Record<string, unknown> | null;
  if (root === null || typeof root !== 'object') return [];
  const issues: SuiteIssue[] = [];
  list(root.providers).forEach((entry, index) => {
    const id = typeof entry === 'string' ? entry : (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    const planned = planProvider(id);
    if (typeof planned === 'string')
      issues.push(document.issue(['providers', index], planned, { unsupported: id }));
  });
  list(root.tests).forEach((test, t) => {
    list((test as { assert?: unknown } | null)?.assert).forEach((a, i) => {
      const type = (a as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || kindOf(type) !== undefined) return;
      if (PROMPTFOO_TYPES.has(type.replace(/^not-/, '')) || type === 'assert-set') return;
      issues.push(
        document.issue(
          ['tests', t, 'assert', i, 'type'],
          `unknown assertion type "${type}"${didYouMean(type, [...ASSERTION_TYPES, ...PROMPTFOO_TYPES])}`,
          { unsupported: type },
        ),
      );
    });
  });
  return issues;
}
