/**
 * promptfoo's `scenarios`: each scenario crosses every entry of its `config` (a partial test,
 * usually a set of vars) with every one of its `tests`. The entry's vars go under the test's
 * (the test wins), its assertions before the test's, as promptfoo merges them; the test's other
 * keys win. Each expanded test names where it was written (`scenarios[i].tests[k]` and its
 * line) and gets a distinct key: `<scenario> / <config> / <test>`.
 *
 * promptfoo reference: https://www.promptfoo.dev/docs/configuration/scenarios/
 */
import { cutText, cutUnique } from '../util/index.js';
import type { LocatedDocument } from './located-document.js';
import type { SuiteIssue } from './suite-error.js';
import type { SuiteFile, SuiteTest } from './suite-schema.js';
import type { SourcedTest } from './tests-file.js';

type Scenario = NonNullable<SuiteFile['scenarios']>[number];

function varsOf(test: SuiteTest): Record<string, unknown> {
  return typeof test.vars === 'object' ? test.vars : {};
}

function label(test: SuiteTest, fallback: string): string {
  return test.key ?? test.description ?? fallback;
}

/** One scenario's tests, expanded; string-valued (file) vars are refused with file:line. */
function expandScenario(
  scenario: Scenario,
  s: number,
  file: string,
  document: LocatedDocument,
  issues: SuiteIssue[],
): SourcedTest[] {
  const out: SourcedTest[] = [];
  const name = scenario.description ?? `scenario ${s + 1}`;
  for (const [where, list] of [
    ['config', scenario.config],
    ['tests', scenario.tests],
  ] as const)
    list.forEach((entry, i) => {
      if (typeof entry.vars === 'string')
        issues.push(
          document.issue(
            ['scenarios', s, where, i, 'vars'],
            'vars of a scenario must be written inline (a map), not as a file reference',
            { unsupported: 'scenarios vars file' },
          ),
        );
    });
  scenario.config.forEach((data, c) => {
    scenario.tests.forEach((test, t) => {
      const assert = [...(data.assert ?? []), ...(test.assert ?? [])];
      const metadata = { ...data.metadata, ...test.metadata };
      const options = { ...data.options, ...test.options };
      const key = `${name} / ${label(data, `config ${c + 1}`)} / ${label(test, `test ${t + 1}`)}`;
      const merged: SuiteTest = {
        ...data,
        ...test,
        key: cutUnique(key, 200),
        vars: { ...varsOf(data), ...varsOf(test) },
        ...(assert.length > 0 ? { assert } : {}),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        ...(Object.keys(options).length > 0 ? { options } : {}),
      };
      merged.description = cutText(test.description ?? data.description ?? key, 200);
      out.push(
        document.withLine(
          { test: merged, file, path: `scenarios[${s}].tests[${t}] with config[${c}]` },
          ['scenarios', s, 'tests', t],
        ),
      );
    });
  });
  return out;
}

/** Every scenario's tests, in order, after the suite's own tests. */
export function expandScenarios(
  scenarios: readonly Scenario[] | undefined,
  file: string,
  document: LocatedDocument,
  issues: SuiteIssue[],
): SourcedTest[] {
  return (scenarios ?? []).flatMap((scenario, s) =>
    expandScenario(scenario, s, file, document, issues),
  );
}
