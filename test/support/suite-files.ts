/**
 * Suite files written into a temporary folder, and the problems planning one reports (a
 * `SuiteError`'s lines: file:line, path and message), for tests of promptfoo-format suites.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { loadSuite, planSuite, SuiteError } from '../../src/suites/index.js';
import { tempDir } from './temp-dir.js';

/** A temporary folder removed after the test file; `write` puts a file in it and returns its path. */
export function suiteFolder(prefix: string): {
  path: string;
  write: (name: string, text: string) => string;
} {
  const dir = tempDir(prefix);
  after(() => dir.remove());
  return {
    path: dir.path,
    write: (name, text) => {
      const path = join(dir.path, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** The lines of the error planning the suite at `path` raises; [] when it plans. */
export async function suiteIssues(path: string, skipUnsupported = false): Promise<string[]> {
  try {
    planSuite(await loadSuite(path), { skipUnsupported });
  } catch (error) {
    if (error instanceof SuiteError) return error.message.split('\n');
    throw error;
  }
  return [];
}
