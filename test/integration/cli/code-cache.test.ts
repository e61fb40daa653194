/**
 * The command compiles its bundle through V8's code cache (bin/run-bundle.mjs): the first run
 * stores the cached data under $XDG_CACHE_HOME/prompt-cards, later runs read it, and a damaged
 * or unwritable cache changes nothing but the compile time.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../support/temp-dir.js';

const REPO = process.cwd();
const BIN = join(REPO, 'bin/prompt-cards.mjs');
const dir = tempDir('pcs-code-cache-');
const suite = join(dir.path, 'suite.yaml');
writeFileSync(
  suite,
  `prompts:\n  - 'Repeat: item {{n}}'\nproviders:\n  - id: simulated:fast\ntests:\n  - vars: { n: "1" }\n    assert:\n      - type: contains\n        value: item\n`,
);

function evalWith(cacheHome: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, 'eval', '-c', suite], {
    cwd: dir.path,
    env: { ...process.env, CI: 'true', XDG_CACHE_HOME: cacheHome },
    encoding: 'utf8',
  });
}

const PASSED = /^PASS simulated:fast: 1\/1 passed/m;

before(() => execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO }));
after(() => dir.remove());

describe('the code cache of the bundled command', () => {
  const home = join(dir.path, 'cache-home');
  const folder = join(home, 'prompt-cards');

  it('is written by the first run and read by the next, with the same result', () => {
    const first = evalWith(home);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, PASSED);
    const files = readdirSync(folder).filter((f) => f.endsWith('.v8'));
    assert.equal(files.length, 1, 'one cache file for the bundle');
    const file = join(folder, files[0] ?? '');
    const written = statSync(file).mtimeMs;
    const second = evalWith(home);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(statSync(file).mtimeMs, written, 'an accepted cache is not written again');
  });

  it('replaces a damaged cache file and runs the same', () => {
    const [name] = readdirSync(folder).filter((f) => f.endsWith('.v8'));
    const file = join(folder, name ?? '');
    writeFileSync(file, 'not V8 data');
    const run = evalWith(home);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, PASSED);
    assert.notEqual(readFileSync(file, 'utf8'), 'not V8 data', 'rewritten after the rejection');
  });

  it("keeps another Node version's file when it writes its own", () => {
    // A cache folder shared by two Node versions (a CI matrix): each run used to delete the
    // other version's file, so both compiled every time.
    const [name = ''] = readdirSync(folder).filter((f) => f.endsWith('.v8'));
    const runtime = `-${process.version}-${process.arch}-`;
    assert.ok(name.includes(runtime), name);
    const other = join(folder, name.replace(runtime, '-v0.0.0-other-'));
    writeFileSync(other, 'the data of another Node version');
    writeFileSync(join(folder, name), 'not V8 data'); // so this run writes its file again
    const run = evalWith(home);
    assert.equal(run.status, 0, run.stderr);
    assert.notEqual(readFileSync(join(folder, name), 'utf8'), 'not V8 data');
    assert.equal(readFileSync(other, 'utf8'), 'the data of another Node version');
    rmSync(other);
  });

  it('refuses a cache file damaged inside its data (same length) and rewrites it', () => {
    // V8 checks the header of cached data, not its body: bytes changed in the middle (a disk or
    // copy fault) used to abort the process in V8's deserializer (exit 133) on every later run.
    const [name] = readdirSync(folder).filter((f) => f.endsWith('.v8'));
    const file = join(folder, name ?? '');
    const good = evalWith(home);
    assert.equal(good.status, 0, good.stderr);
    const data = readFileSync(file);
    const middle = Math.floor(data.length / 2);
    for (let i = middle; i < middle + 4096 && i < data.length; i += 1) {
      data[i] = (data[i] ?? 0) ^ 0x5a;
    }
    writeFileSync(file, data);
    const run = evalWith(home);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, PASSED);
    assert.notDeepEqual(readFileSync(file), data, 'rewritten after the refusal');
    const again = evalWith(home);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, PASSED);
  });

  it('runs the same when the cache folder cannot be made', () => {
    // A file where the cache's parent folder should be: mkdir fails.
    const blocked = join(dir.path, 'blocked');
    writeFileSync(blocked, '');
    const run = evalWith(blocked);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, PASSED);
    assert.equal(run.stderr.includes('Error'), false, run.stderr);
  });
});
