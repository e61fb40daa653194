/**
 * Reads a V8 .cpuprofile (as written by `node --cpu-prof`) and sums sample time per function
 * (self and inclusive) and per area of the code base, so two variants can be compared
 * function by function. Used by bench/tracing-profile.ts.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  /** `name (file:line)`, the file relative to node_modules or the checkout. */
  readonly key: string;
  readonly area: string;
  /** Share of all sampled time, 0..1. */
  readonly self: number;
  readonly inclusive: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: readonly FunctionCost[];
  /** Self time per area, shares 0..1. */
  readonly areas: Readonly<Record<string, number>>;
}

/** The part of the stack a frame belongs to, by its script URL. */
export function areaOf(url: string, name: string): string {
  if (url === '') {
    if (name === '(garbage collector)') return 'gc';
    if (name === '(idle)' || name === '(program)') return name.slice(1, -1);
    return 'native';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg !== undefined) return pkg.startsWith('@opentelemetry/') ? '@opentelemetry' : pkg;
  if (url.includes('/src/telemetry/tracing/') || url.includes('/src/db/query-spans')) {
    return 'src tracing';
  }
  if (url.includes('/src/')) return 'src other';
  if (url.startsWith('node:') || !url.includes('/')) return 'node core';
  return 'other';
}

function shortFile(url: string): string {
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) return url.slice(inModules + 'node_modules/'.length);
  const src = url.search(/\/(src|bench|test)\//);
  return src >= 0 ? url.slice(src + 1) : url;
}

export function summarizeProfile(path: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const keyOf = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} (${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1})`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areaByKey = new Map<string, string>();
  const areas: Record<string, number> = {};
  // Depth-first from the root, carrying the keys already on the stack so recursion counts once.
  const root = profile.nodes[0];
  const visit = (node: ProfileNode, onStack: Set<string>): number => {
    const key = keyOf(node);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    areaByKey.set(key, area);
    const own = selfUs.get(node.id) ?? 0;
    self.set(key, (self.get(key) ?? 0) + own);
    areas[area] = (areas[area] ?? 0) + own / total;
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    let sum = own;
    for (const child of node.children ?? []) {
      const c = byId.get(child);
      if (c !== undefined) sum += visit(c, onStack);
    }
    if (fresh) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    }
    return sum;
  };
  if (root !== undefined) visit(root, new Set());
  const functions = [...self.keys()].map((key) => ({
    key,
    area: areaByKey.get(key) ?? 'other',
    self: (self.get(key) ?? 0) / total,
    inclusive: (inclusive.get(key) ?? 0) / total,
  }));
  return { totalMs: total / 1000, functions, areas };
}
