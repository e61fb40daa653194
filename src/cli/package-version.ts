/**
 * The version of the installed package (`package.json`'s `version`), for `--version`. Found by
 * walking up from this file: src/cli/ in a checkout, dist/src/cli/ when built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version string, e.g. "0.1.0"; "unknown" when no package.json is found above. */
export function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
