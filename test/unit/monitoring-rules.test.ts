import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { METRIC } from '../../src/telemetry/metrics/index.js';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules: Rule[] = readdirSync('monitoring/rules')
  .filter((f) => f.endsWith('.yml'))
  .flatMap((f) =>
    (
      parse(readFileSync(join('monitoring/rules', f), 'utf8')) as { groups: { rules: Rule[] }[] }
    ).groups.flatMap((g) => g.rules),
  );

describe('alert rules', () => {
  const alerts = rules.filter((r) => r.alert !== undefined);

  it("define the guide's alerts", () => {
    for (const name of ['HighErrorRate', 'HighResponseTime', 'LowSuccessRate'])
      assert.ok(
        alerts.some((a) => a.alert === name),
        name,
      );
  });

  for (const alert of alerts) {
    it(`${alert.alert ?? ''} has severity, summary, description and a runbook that exists`, () => {
      assert.ok(['critical', 'warning', 'info'].includes(alert.labels?.severity ?? ''));
      assert.ok((alert.annotations?.summary ?? '').length > 0);
      assert.ok((alert.annotations?.description ?? '').length > 0);
      assert.equal(alert.annotations?.runbook_url, `docs/runbooks/${alert.alert ?? ''}.md`);
      assert.ok(existsSync(alert.annotations?.runbook_url ?? ''));
    });
  }

  it('name only metrics the service exports (or Prometheus itself, or recording rules)', () => {
    const known = new Set<string>([
      ...Object.values(METRIC),
      'up',
      ...rules.flatMap((r) => (r.record === undefined ? [] : [r.record])),
    ]);
    const suffixes = /_(bucket|sum|count)$/;
    for (const rule of rules) {
      const names = [...rule.expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\s*(?:\{|\[)/g)].map(
        (m) => m[1] ?? '',
      );
      for (const name of names) {
        assert.ok(
          known.has(name) || known.has(name.replace(suffixes, '')),
          `${rule.alert ?? rule.record ?? ''} uses unknown metric ${name}`,
        );
      }
    }
  });
});
