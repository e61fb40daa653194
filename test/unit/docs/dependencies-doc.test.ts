/**
 * Every runtime dependency of package.json says why it is there in docs/dependencies.md (by its
 * name in backquotes, or its scope's `@scope/*` row).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';

it('names every runtime dependency in docs/dependencies.md', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const doc = readFileSync('docs/dependencies.md', 'utf8');
  const missing = Object.keys(pkg.dependencies).filter((name) => {
    const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
    return !doc.includes(`\`${name}\``) && !(scope !== undefined && doc.includes(`\`${scope}/*\``));
  });
  assert.deepEqual(missing, [], 'add a row saying why each is a dependency');
});
