/**
 * The dependency rule of ARCHITECTURE.md, checked by `npm run lint` through
 * scripts/check-dependencies.ts, which adds the one rule dependency-cruiser cannot state: no
 * cycle between the folders directly under src/ (its `scope: "folder"` rules see every nested
 * folder on its own). Why this tool: docs/dependencies.md. Paths are relative to the folder the
 * check runs in (the repository root, or a test fixture).
 */
const INFRASTRUCTURE = '^src/(db|http|telemetry|util|config)/';
const SHARED_ROOT_FILES = '^src/(errors|config|version)\\.ts$';
const ENTRY_POINTS = ['^src/[^/]+/index\\.ts$', '^src/telemetry/[^/]+/index\\.ts$'];
/** A feature's module file (`<name>-module.ts`): its entry for the composition (src/compose) only. */
const MODULE_FILE = '^src/[^/]+/[^/]+-module\\.ts$';
const COMPOSITION =
  '^src/((main|worker|server|worker-server|app|configure-process)\\.ts|cli/|compose/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'import-through-index',
      severity: 'error',
      comment:
        'A folder is used only through its index.ts: importing a file inside another folder couples to what it may change freely.',
      from: { path: '^src/([^/.]+)' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', ...ENTRY_POINTS, MODULE_FILE] },
    },
    {
      name: 'module-files-for-composition-only',
      severity: 'error',
      comment: "A feature's <name>-module.ts wires it into a process; only src/compose imports it.",
      from: { path: '^src/([^/.]+)', pathNot: '^src/compose/' },
      to: { path: MODULE_FILE, pathNot: '^src/$1/' },
    },
    {
      name: 'infrastructure-imports-no-feature',
      severity: 'error',
      comment: 'db, http, telemetry, util (and config) are below every feature and import none.',
      from: { path: INFRASTRUCTURE },
      to: { path: '^src/', pathNot: [INFRASTRUCTURE, SHARED_ROOT_FILES] },
    },
    {
      name: 'no-feature-imports-composition',
      severity: 'error',
      comment: 'Entries and composition roots wire features together; no feature imports them.',
      from: { path: '^src/[^/]+/', pathNot: ['^src/(cli|compose)/', MODULE_FILE] },
      to: { path: COMPOSITION },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
