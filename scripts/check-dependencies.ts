/**
 * `npm run lint:deps` (part of `npm run lint`): the dependency rule of ARCHITECTURE.md.
 * dependency-cruiser resolves every import of src/ (TypeScript, `.js` specifiers, type-only
 * imports) and applies the path rules of .dependency-cruiser.cjs (import through index.ts,
 * infrastructure imports no feature, no feature imports an entry); this script adds the folder
 * rule it cannot state: no cycle between the folders directly under src/ (a folder's files
 * and its nested folders count as one). Prints each violation; exits 1 when there is one.
 *
 *   npm run lint:deps                          (the repository)
 *   tsx scripts/check-dependencies.ts <root>   (another tree with src/ and tsconfig.json)
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface DependencyReport {
  /** `rule: from → to` for each import a rule of .dependency-cruiser.cjs forbids. */
  readonly violations: string[];
  /** Each cycle between top-level folders of src/, as `a → b → a` over one import per edge. */
  readonly cycles: string[];
}

interface CruisedModule {
  source: string;
  dependencies: { resolved: string }[];
}
interface CruiseResult {
  modules: CruisedModule[];
  summary: { violations: { from: string; to: string; rule: { name: string } }[] };
}

/** npm scripts and the test runner run in the repository's root. */
const REPO = resolve('.');

/** Cruises `<root>/src` with the repository's rules (dependency-cruiser's CLI, JSON output). */
export function checkDependencies(root: string = REPO): DependencyReport {
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [
        resolve(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        '--config',
        resolve(REPO, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
  } catch (error) {
    // dependency-cruiser exits with the number of errors; its JSON report is on stdout still.
    const stdout = (error as { stdout?: unknown }).stdout;
    if (typeof stdout !== 'string' || !stdout.startsWith('{')) throw error;
    output = stdout;
  }
  const result = JSON.parse(output) as CruiseResult;
  return {
    violations: result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
    cycles: folderCycles(result.modules),
  };
}

/**
 * The top-level folder a file counts in. A feature's `<name>-module.ts` is composition code that
 * lives beside its feature (it implements src/compose's module contract), so it counts in
 * `compose`: the features' other files never import compose.
 */
const topFolder = (path: string): string | undefined =>
  /^src\/[^/]+\/[^/]+-module\.ts$/.test(path) ? 'compose' : /^src\/([^/]+)\//.exec(path)?.[1];

/** Strongly connected groups of top-level folders, each shown as one cycle with its imports. */
export function folderCycles(modules: readonly CruisedModule[]): string[] {
  const edges = new Map<string, Map<string, string>>(); // from → to → one import making the edge
  for (const module of modules) {
    const from = topFolder(module.source);
    for (const dependency of module.dependencies) {
      const to = topFolder(dependency.resolved);
      if (from === undefined || to === undefined || from === to) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${module.source} → ${dependency.resolved}`);
      edges.set(from, out);
    }
  }
  const cycles: string[] = [];
  const seen = new Set<string>();
  for (const start of [...edges.keys()].sort()) {
    const path = shortestPathBack(edges, start);
    const key = path === undefined ? '' : [...path].sort().join(' ');
    if (path === undefined || seen.has(key)) continue; // each cycle once
    seen.add(key);
    const steps = path.map((folder, i) => {
      const next = path[(i + 1) % path.length] ?? start;
      return `${folder} → ${next} (${edges.get(folder)?.get(next) ?? '?'})`;
    });
    cycles.push(steps.join('; '));
  }
  return cycles;
}

/** The folders of a shortest cycle through `start`, beginning with it; undefined if none. */
function shortestPathBack(
  edges: Map<string, Map<string, string>>,
  start: string,
): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const folder = queue[i] ?? start;
    for (const next of edges.get(folder)?.keys() ?? []) {
      if (next === start) {
        const path = [folder];
        while (path[0] !== start) path.unshift(previous.get(path[0] ?? start) ?? start);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, folder);
        queue.push(next);
      }
    }
  }
  return undefined;
}

if (require.main === module) {
  const report = checkDependencies(resolve(process.argv[2] ?? REPO));
  for (const line of report.violations) console.error(`error ${line}`);
  for (const line of report.cycles) console.error(`error folder-cycle: ${line}`);
  const count = report.violations.length + report.cycles.length;
  console.log(count === 0 ? 'dependency rule: no violation' : `${count} dependency violations`);
  if (count > 0) process.exitCode = 1;
}
