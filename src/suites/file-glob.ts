/**
 * A `file://` reference as promptfoo reads it: a path relative to the suite's folder, or a
 * glob (`*`, `**`, `?`, `{a,b}`) matching several files, sorted. A glob matching nothing is
 * an error naming the reference.
 */
import { resolve } from 'node:path';
import { SuiteError } from './suite-error.js';
import { FILE_REF } from './suite-schema.js';
import { glob } from 'tinyglobby';

/** Whether a reference is a glob rather than one path. */
export const GLOB = /[*?{[]/;

export async function expandFileRef(
  ref: string,
  baseDir: string,
  file: string,
  path: string,
): Promise<string[]> {
  const relative = ref.replace(FILE_REF, '');
  if (!GLOB.test(relative)) return [resolve(baseDir, relative)];
  // tinyglobby: small and maintained (Node 20 has no fs.glob).
  const found = (await glob(relative, { cwd: baseDir, absolute: true })).map((m) => resolve(m));
  if (found.length === 0) throw new SuiteError([{ file, path, message: `${ref} matches no file` }]);
  return found.sort();
}
