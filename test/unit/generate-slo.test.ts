import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runbook, sloRules, type Slo } from '../../scripts/generate-slo.js';

const slo: Slo = {
  name: 'api-availability',
  alert: 'ApiAvailabilityErrorBudgetBurn',
  objective: 0.999,
  summary: 's',
  sli: 'share of good requests',
  errors: 'sum(rate(bad[$window]))',
  total: 'sum(rate(all[$window]))',
  check: ['look'],
  act: ['fix'],
};

describe('SLO rule generation', () => {
  const groups = (
    sloRules([slo]) as {
      groups: {
        rules: {
          record?: string;
          alert?: string;
          expr: string;
          for?: string;
          labels: Record<string, string>;
        }[];
      }[];
    }
  ).groups;
  const rules = groups.flatMap((g) => g.rules);

  it('records the error ratio at every window the burn-rate pairs use', () => {
    const windows = rules.filter((r) => r.record !== undefined).map((r) => r.record);
    assert.deepEqual(
      windows,
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}`),
    );
    assert.equal(rules[2]?.expr, '(sum(rate(bad[1h]))) / (sum(rate(all[1h])))');
  });

  it('pages at 14.4x over 1h and 5m or 6x over 6h and 30m, and tickets at 3x / 1x', () => {
    const page = rules.find((r) => r.labels.severity === 'critical');
    const ticket = rules.find((r) => r.labels.severity === 'warning');
    assert.equal(
      page?.expr,
      '(slo:sli_error:ratio_rate1h{slo="api-availability"} > 0.0144 and slo:sli_error:ratio_rate5m{slo="api-availability"} > 0.0144) or (slo:sli_error:ratio_rate6h{slo="api-availability"} > 0.006 and slo:sli_error:ratio_rate30m{slo="api-availability"} > 0.006)',
    );
    assert.equal(
      ticket?.expr,
      '(slo:sli_error:ratio_rate1d{slo="api-availability"} > 0.003 and slo:sli_error:ratio_rate2h{slo="api-availability"} > 0.003) or (slo:sli_error:ratio_rate3d{slo="api-availability"} > 0.001 and slo:sli_error:ratio_rate6h{slo="api-availability"} > 0.001)',
    );
    assert.equal(
      page?.alert,
      ticket?.alert,
      'page and ticket share the name so the inhibition matches',
    );
  });

  it('writes a runbook that says what to check and do, numbered in order', () => {
    const text = runbook(slo);
    assert.match(text, /^<!-- Generated/);
    assert.match(text, /## Check\n1\. look\n2\. How much budget is left/);
    assert.match(text, /## Act\n- fix/);
    assert.match(runbook({ ...slo, check: ['a', 'b', 'c'] }), /\n3\. c\n4\. How much budget/);
  });

  it('keeps the `by` labels: one objective per card, named in the alert', () => {
    const perCard: Slo = {
      ...slo,
      name: 'production-quality',
      by: ['card'],
      errors: 'sum by (card) (rate(bad[$window]))',
      total: 'sum by (card) (rate(all[$window]))',
    };
    const all = (
      sloRules([perCard]) as {
        groups: {
          rules: { alert?: string; annotations?: Record<string, string> }[];
        }[];
      }
    ).groups.flatMap((g) => g.rules);
    const alerts = all.filter((r) => r.alert !== undefined);
    assert.equal(alerts.length, 2);
    for (const alert of alerts)
      assert.match(
        alert.annotations?.description ?? '',
        /^production-quality card \{\{ \$labels\.card \}\}: /,
      );
    assert.match(runbook(perCard), /objective 99\.9 %, one per card\)/);
  });
});
