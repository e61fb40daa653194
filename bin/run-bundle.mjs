// Runs the bundled command (dist/cli/prompt-cards.cjs) as `require` would, but compiled through
// V8's code cache: the bundle is one ~12 MB script, and compiling it costs a 1-test eval about
// 0.25 s of CPU, more than the eval itself. The first run compiles it and, when the process exits,
// stores V8's cached data (the compiled functions, ~4 MB) in a cache folder outside the package;
// later runs hand that to V8, which checks it against the source and skips the compile.
//
// Node 20 has no module.enableCompileCache (Node 22.1), so the script is compiled with vm.Script
// and its `cachedData` option. The cache folder is $XDG_CACHE_HOME/prompt-cards, else
// ~/.cache/prompt-cards; one file per bundle path, Node version and architecture, named by the
// bundle's size and modification time (V8 rejects data of another V8 or source, and the file is
// then written again; a newer build's file replaces the older one of the same Node). V8 checks the header of cached data but not its body, and
// aborts the process on a damaged body: the file therefore starts with the SHA-256 of the data,
// and data whose digest differs is not handed to V8 (it is compiled and written again). A cache
// that cannot be read or written only costs the compile: nothing is reported and the command
// runs the same.
import { Buffer, isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** The cache folder: $XDG_CACHE_HOME/prompt-cards or ~/.cache/prompt-cards. */
function cacheFolder() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'prompt-cards');
}

/**
 * Path of the cached data for `bundle` as it is now under this Node version and architecture,
 * and the prefix every build of it shares under them (`<bundle path hash>-<node>-<arch>`): a
 * cache folder shared by two Node versions (a CI matrix) keeps one file for each instead of each
 * run deleting the other's.
 */
function cacheFileOf(bundle) {
  const stat = fs.statSync(bundle);
  const path = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  const prefix = `${path}-${process.version}-${process.arch}`;
  const version = createHash('sha256')
    .update([stat.size, stat.mtimeMs].join('\0'))
    .digest('hex')
    .slice(0, 16);
  return { file: join(cacheFolder(), `${prefix}-${version}.v8`), prefix };
}

const DIGEST_BYTES = 32;

/** SHA-256 of `data` (32 bytes). */
function digestOf(data) {
  return createHash('sha256').update(data).digest();
}

/** The V8 data in a cache file's contents, or undefined when its digest does not match. */
function verified(contents) {
  if (contents.length <= DIGEST_BYTES) return undefined;
  const data = contents.subarray(DIGEST_BYTES);
  return digestOf(data).equals(contents.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

/**
 * Writes the digest and the cached data atomically and removes the data of older builds of the
 * same bundle (`.v8` files only: another process's partial file is left to its own rename).
 */
function store(file, prefix, data) {
  try {
    const folder = dirname(file);
    fs.mkdirSync(folder, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, Buffer.concat([digestOf(data), data]));
    fs.renameSync(partial, file);
    for (const name of fs.readdirSync(folder)) {
      if (name.startsWith(`${prefix}-`) && name.endsWith('.v8') && join(folder, name) !== file) {
        fs.rmSync(join(folder, name), { force: true });
      }
    }
  } catch {
    // No cache: the next run compiles again.
  }
}

/**
 * Runs `bundle` (an absolute path to a CommonJS file) as the main script of the process.
 * Throws what the bundle throws while it loads; a missing bundle throws ENOENT.
 */
export function runBundle(bundle) {
  // Built as ASCII (scripts/build-cli.mjs), the bundle is read without decoding UTF-8.
  const bytes = fs.readFileSync(bundle);
  let source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // A `#!` line is valid at the start of a file, not inside the CommonJS wrapper.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  let cache;
  try {
    cache = cacheFileOf(bundle);
  } catch {
    cache = undefined;
  }
  let cachedData;
  if (cache !== undefined) {
    try {
      cachedData = verified(fs.readFileSync(cache.file));
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
  });
  if (cache !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit, so the data also holds the functions the command compiled while it ran.
    process.once('exit', () => store(cache.file, cache.prefix, script.createCachedData()));
  }
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dirname(bundle));
  mod.loaded = false;
  const wrapper = script.runInThisContext();
  wrapper.call(
    mod.exports,
    mod.exports,
    Module.createRequire(bundle),
    mod,
    bundle,
    dirname(bundle),
  );
  mod.loaded = true;
}
