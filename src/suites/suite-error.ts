/**
 * What is wrong with a suite: each problem names the file, the path inside it (`tests[3].assert[0].type`)
 * and, where the file format gives one, the line. The command exits with 2 on it.
 */
export interface SuiteIssue {
  readonly file: string;
  /** Dotted path with [index] for list items; '' for the whole file. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
  /** Set for an assertion kind or key that exists in promptfoo but not here. */
  readonly unsupported?: string;
}

export class SuiteError extends Error {
  constructor(readonly issues: readonly SuiteIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'SuiteError';
  }
}

export function formatIssue(issue: SuiteIssue): string {
  const where = `${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}`;
  return `${where}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

/** `['tests', 3, 'assert']` → `tests[3].assert`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
