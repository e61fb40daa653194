/**
 * ARCHITECTURE.md's layout matches the tree: every file and folder directly under src/ is
 * listed in its layout block, and every path the block lists exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** The paths at the start of the lines of the first code block after "## Layout". */
function layoutPaths(): string[] {
  const text = readFileSync('ARCHITECTURE.md', 'utf8');
  const block = /## Layout\s+```[^\n]*\n([\s\S]*?)\n```/.exec(text)?.[1];
  assert.ok(block !== undefined, 'ARCHITECTURE.md has a "## Layout" code block');
  return block
    .split('\n')
    .map((line) => /^(\S+)/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

describe('ARCHITECTURE.md', () => {
  it('lists every entry of src/ in its layout', () => {
    const listed = new Set(layoutPaths());
    const entries = readdirSync('src').map((name) =>
      statSync(join('src', name)).isDirectory() ? `src/${name}/` : `src/${name}`,
    );
    assert.deepEqual(
      entries.filter((entry) => !listed.has(entry)),
      [],
    );
  });

  it('lists no path that does not exist', () => {
    assert.deepEqual(
      layoutPaths().filter((path) => !existsSync(path)),
      [],
    );
  });
});
