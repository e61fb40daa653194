/**
 * The package as a user installs it: `npm pack` of this repository, `npm install ./<tgz>` into an
 * empty temporary folder (no checkout, no devDependencies), then `npx prompt-cards eval` of a
 * promptfoo configuration against a loopback OpenAI-wire server. Proves the tarball carries what
 * the command needs (package.json `files`: the bin and the bundle) and that its run-time packages
 * are `dependencies`.
 *
 * Needs the npm registry's packages: `npm install --prefer-offline` takes them from the cache the
 * CI install just filled (.ci/run: `npm ci`), else from the registry. Under REQUIRE_SYSTEM=1 an
 * install that fails fails the test. It is a system test (not a step of .ci/run) so that it runs
 * with the other system tests, on its own with `node scripts/run-tests.mjs test/system/cli`, and
 * fails rather than skips where the registry is required.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REQUIRE_SYSTEM } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const run = promisify(execFile);
const REPO = process.cwd();
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; resolves with the exit code and both streams (never rejects). */
async function outcome(
  file: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(error),
    };
  }
}

/**
 * better-sqlite3's native addon for the installed copy. The install ran without scripts: building
 * the addon from source takes minutes of CPU (no prebuilt binary is downloadable here), beyond
 * the test runner's hang guard on a loaded machine. When the installed version is the one this
 * checkout built (npm ci), its addon is copied, as a prebuilt binary would be; else it is built
 * (`npm rebuild better-sqlite3`, the install script itself).
 */
async function provideSqliteAddon(app: string): Promise<void> {
  const ours = join(REPO, 'node_modules', 'better-sqlite3');
  const theirs = join(app, 'node_modules', 'better-sqlite3');
  const version = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const addon = join('build', 'Release', 'better_sqlite3.node');
  if (version(ours) === version(theirs) && existsSync(join(ours, addon))) {
    mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
    copyFileSync(join(ours, addon), join(theirs, addon));
    return;
  }
  const rebuild = await outcome(NPM, ['rebuild', 'better-sqlite3'], app);
  assert.equal(rebuild.code, 0, rebuild.stderr);
}

describe('the packed package installed in an empty folder', () => {
  const dir = tempDir('pcs-pack-');
  const app = join(dir.path, 'app');
  let wire: WireServer;
  let tarball = '';
  let skip: string | undefined;

  // Building better-sqlite3's addon dominates (1–2 min of CPU; 11 min of wall time on a loaded
  // 2-core machine): beyond the runner's per-test hang guard.
  before(
    async () => {
      wire = await startWireServer('openai');
      // What `prepack` builds for a publish, limited to what the command needs: the bundle.
      const build = await outcome(
        process.execPath,
        ['scripts/build-if-stale.mjs', '--cli-only'],
        REPO,
      );
      assert.equal(build.code, 0, build.stderr);
      const pack = await outcome(
        NPM,
        ['pack', '--ignore-scripts', '--json', '--pack-destination', dir.path],
        REPO,
      );
      assert.equal(pack.code, 0, pack.stderr);
      const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
      assert.ok(packed !== undefined);
      const paths = packed.files.map((f) => f.path);
      assert.ok(paths.includes('bin/prompt-cards.mjs'), 'the tarball has the command');
      assert.ok(paths.includes('dist/cli/prompt-cards.cjs'), 'the tarball has the bundle');
      assert.ok(!paths.some((p) => p.startsWith('src/') || p.startsWith('test/')), 'no sources');
      tarball = join(dir.path, packed.filename);

      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), '{"name":"ci-user","private":true}\n');
      const install = await outcome(
        NPM,
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball],
        app,
      );
      if (install.code !== 0) {
        const message = `npm install of the tarball failed:\n${install.stderr.slice(-3000)}`;
        if (REQUIRE_SYSTEM) throw new Error(message);
        skip = message;
        return;
      }
      await provideSqliteAddon(app);
    },
    { timeout: 40 * 60_000 },
  );

  after(async () => {
    await wire.close();
    dir.remove();
  });

  it('installs the command without the sources or the devDependencies', (t) => {
    if (skip !== undefined) return t.skip(skip);
    const installed = join(app, 'node_modules', 'prompt-card-system');
    assert.ok(existsSync(join(installed, 'dist', 'cli', 'prompt-cards.cjs')));
    assert.ok(!existsSync(join(installed, 'src')));
    assert.ok(existsSync(join(app, 'node_modules', '.bin', 'prompt-cards')));
    // A devDependency of this repository is not installed for a user of the package.
    assert.ok(!existsSync(join(app, 'node_modules', 'typescript')));
    assert.ok(!existsSync(join(app, 'node_modules', 'esbuild')));
  });

  it('runs `npx prompt-cards eval` on a promptfoo configuration: exit 0, then exit 1 when an assertion fails', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const suite = (expected: string): string =>
      [
        'description: installed package',
        'prompts:',
        "  - 'Repeat: item {{n}}'",
        'providers:',
        '  - id: openai:chat:packed',
        '    config:',
        `      apiBaseUrl: ${wire.url}/v1`,
        'tests:',
        ...['1', '2'].map((n) =>
          [
            `  - vars: { n: "${n}" }`,
            '    assert:',
            '      - type: contains',
            `        value: "${expected}${n}"`,
          ].join('\n'),
        ),
        '',
      ].join('\n');
    writeFileSync(join(app, 'promptfooconfig.yaml'), suite('item '));
    writeFileSync(join(app, 'failing.yaml'), suite('nothing like '));
    const env = { ...process.env, CI: 'true', OPENAI_API_KEY: 'pack-test-key' };
    const passed = await outcome(
      NPM,
      [
        'exec',
        '--offline',
        '--',
        'prompt-cards',
        'eval',
        '-c',
        'promptfooconfig.yaml',
        '-o',
        'out/report.json',
      ],
      app,
      env,
    );
    assert.equal(passed.code, 0, `${passed.stdout}\n${passed.stderr}`);
    assert.match(passed.stdout, /PASS openai:chat:packed: 2\/2 passed/);
    const report = JSON.parse(readFileSync(join(app, 'out', 'report.json'), 'utf8')) as unknown;
    assert.ok(typeof report === 'object' && report !== null);
    const chats = wire.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chats.length, 2, 'each test called the loopback server once');

    const failed = await outcome(
      NPM,
      ['exec', '--offline', '--', 'prompt-cards', 'eval', '-c', 'failing.yaml'],
      app,
      env,
    );
    assert.equal(failed.code, 1, `${failed.stdout}\n${failed.stderr}`);
    assert.match(failed.stdout, /FAIL openai:chat:packed: 0\/2 passed/);
  });

  it('prints the version of the packed package', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const version = await outcome(
      NPM,
      ['exec', '--offline', '--', 'prompt-cards', '--version'],
      app,
    );
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    assert.ok(readdirSync(dir.path).some((f) => f.endsWith('.tgz')));
  });
});
