/**
 * The documentation holds together: every relative link of README.md, ARCHITECTURE.md and
 * docs/**.md names a file that exists (and, for `#anchor`, a heading of it), and every runbook
 * URL the service builds names a runbook under docs/runbooks.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { anchorsOf, relativeLinks } from './markdown-links.js';

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

const documents = [
  'README.md',
  'ARCHITECTURE.md',
  ...filesUnder('docs', (path) => path.endsWith('.md')),
];

describe('documentation links', () => {
  it('every relative link of README.md, ARCHITECTURE.md and docs/ resolves', () => {
    const broken: string[] = [];
    for (const file of documents)
      for (const link of relativeLinks(file)) {
        const [path = '', anchor] = link.target.split('#');
        const target = path === '' ? file : join(dirname(file), decodeURIComponent(path));
        const where = `${file}:${link.line} → ${link.target}`;
        if (!existsSync(target)) broken.push(`${where} (no such file)`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor))
          broken.push(`${where} (no such heading)`);
      }
    assert.deepEqual(broken, []);
  });

  it('README.md stays a door: at most 250 lines, the two commands at the top', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.ok(readme.split('\n').length <= 250, 'README.md is longer than 250 lines');
    const top = readme.split('\n').slice(0, 15).join('\n');
    assert.match(top, /npm install && npm start/);
    assert.match(top, /npm test/);
  });

  it('finds a broken link and a missing heading (the check itself)', () => {
    const dir = join('test', 'unit', 'docs', 'fixtures');
    const links = relativeLinks(join(dir, 'links.md')).map((l) => l.target);
    assert.deepEqual(links, ['links.md#a-heading-with-code', 'missing.md', 'links.md#nowhere']);
    assert.ok(anchorsOf(join(dir, 'links.md')).has('a-heading-with-code'));
    assert.ok(!anchorsOf(join(dir, 'links.md')).has('nowhere'));
  });
});

/** `docs/runbooks/<name>.md` in the service's code, with `${CONSTANT}` resolved. */
function runbookUrlsBuiltBySource(): { file: string; name: string }[] {
  const sources = filesUnder('src', (path) => path.endsWith('.ts'));
  const text = new Map(sources.map((path) => [path, readFileSync(path, 'utf8')]));
  const constants = new Map<string, string>();
  for (const source of text.values())
    for (const m of source.matchAll(/const\s+(\w+)\s*=\s*'([^']+)'/g))
      constants.set(m[1] ?? '', m[2] ?? '');
  const urls: { file: string; name: string }[] = [];
  for (const [file, source] of text)
    for (const m of source.matchAll(/docs\/runbooks\/(?:\$\{(\w+)\}|([\w-]+))\.md/g)) {
      const name = m[2] ?? constants.get(m[1] ?? '') ?? `\${${m[1]}} (unresolved)`;
      urls.push({ file: relative('.', file), name });
    }
  return urls;
}

describe('runbook links', () => {
  it('every runbook URL that src/ builds names a file under docs/runbooks', () => {
    const urls = runbookUrlsBuiltBySource();
    assert.ok(urls.length >= 3, 'the alerts the app raises itself carry runbook URLs');
    const missing = urls
      .filter(({ name }) => !existsSync(join('docs', 'runbooks', `${name}.md`)))
      .map(({ file, name }) => `${file}: docs/runbooks/${name}.md`);
    assert.deepEqual(missing, []);
  });
});
