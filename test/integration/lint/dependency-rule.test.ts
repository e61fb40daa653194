/**
 * `npm run lint` fails on a break of the dependency rule: scripts/check-dependencies.ts run on a
 * fixture tree (test/integration/lint/fixtures/tree) with one break of each kind and one
 * allowed import, and on the same kinds of imports built from nothing but the folder graph.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkDependencies, folderCycles } from '../../../scripts/check-dependencies.js';

describe('the dependency rule check', () => {
  it('reports a deep import, infrastructure importing a feature and a folder cycle', () => {
    const report = checkDependencies(join('test', 'integration', 'lint', 'fixtures', 'tree'));
    assert.deepEqual(report.violations.sort(), [
      'import-through-index: src/runs/run-engine.ts → src/cards/card-store.ts',
      'infrastructure-imports-no-feature: src/db/index.ts → src/runs/index.ts',
    ]);
    assert.deepEqual(report.cycles, [
      'alerting → sinks (src/alerting/index.ts → src/sinks/index.ts); ' +
        'sinks → alerting (src/sinks/index.ts → src/alerting/index.ts)',
    ]);
  });

  it('counts a folder and its nested folders as one, and reports each cycle once', () => {
    const module = (source: string, ...to: string[]) => ({
      source,
      dependencies: to.map((resolved) => ({ resolved })),
    });
    const cycles = folderCycles([
      module('src/http/a.ts', 'src/telemetry/logging/index.ts', 'src/http/b.ts'),
      module('src/telemetry/metrics/h.ts', 'src/http/index.ts'),
      module('src/runs/x.ts', 'src/cards/index.ts'),
      module('src/main.ts', 'src/runs/index.ts'),
    ]);
    assert.deepEqual(cycles, [
      'http → telemetry (src/http/a.ts → src/telemetry/logging/index.ts); ' +
        'telemetry → http (src/telemetry/metrics/h.ts → src/http/index.ts)',
    ]);
  });
});
