/**
 * What `eval --server` refuses before pushing (server-suite.ts), and how long it waits on a
 * 429/503 (service-client.ts).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pushIssues } from '../../../src/cli/push-command.js';
import { serverIssues, serviceModelOf } from '../../../src/cli/server-suite.js';
import { MAX_WAIT_MS, retryAfterMs } from '../../../src/cli/service-client.js';
import { loadSuite, planSuite } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir('pcs-server-suite-');
after(() => dir.remove());

async function plan(lines: readonly string[]) {
  const file = join(dir.path, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, [...lines, ''].join('\n'));
  return planSuite(await loadSuite(file));
}

describe('eval --server: what only the local engine runs', () => {
  it('accepts a suite the service runs as eval does', async () => {
    const p = await plan([
      "prompts: ['Say {{w}}']",
      'providers: [simulated:fast, {id: "openai:chat:gpt-4o-mini", label: mini}]',
      'tests: [{vars: {w: a}, assert: [{type: contains, value: a}, {type: moderation}]}]',
    ]);
    // moderation calls the service's own OpenAI-compatible server, as the run's models do.
    assert.deepEqual(serverIssues(p, {}), []);
    assert.deepEqual(p.providers.map(serviceModelOf), ['simulated:fast', 'openai:gpt-4o-mini']);
  });

  it('refuses storeOutputAs and _conversation: only the local engine runs tests in order', async () => {
    const p = await plan([
      "prompts: ['{{ q }} {{ fruit }}', '{% for t in _conversation %}{{ t.output }} {% endfor %}{{ q }}']",
      'providers: [simulated:fast]',
      'tests:',
      '  - {description: first, vars: {q: a}, options: {storeOutputAs: fruit}}',
      '  - {description: second, vars: {q: b}}',
    ]);
    const issues = serverIssues(p, {});
    assert.ok(
      issues.some((i) =>
        /test "first": storeOutputAs .*only the local engine runs them in order/.test(i),
      ),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => /reads _conversation .*only the local engine runs them in order/.test(i)),
      issues.join('\n'),
    );
  });

  it('push refuses a test storing its answer: the service runs test cases apart', async () => {
    const p = await plan([
      "prompts: ['{{ q }} {{ fruit }}']",
      'providers: [simulated:fast]',
      'tests:',
      '  - {description: first, vars: {q: a}, storeOutputAs: fruit}',
      '  - {description: second, vars: {q: b}}',
    ]);
    assert.deepEqual(
      pushIssues(p).map((i) => /test "first" stores its answer \(storeOutputAs\)/.test(i)),
      [true],
    );
  });

  it('refuses a prompt the service would fill otherwise (an object var: JSON there)', async () => {
    const p = await plan([
      "prompts: ['Say {{w}}']",
      'providers: [simulated:fast]',
      'tests: [{description: nested, vars: {w: {a: 1}}}]',
    ]);
    const issues = serverIssues(p, {});
    assert.equal(issues.length, 1, issues.join('\n'));
    assert.match(issues[0] ?? '', /renders otherwise on the service for test "nested"/);
  });

  it('refuses two providers that are one model there, and the options it cannot take', async () => {
    const p = await plan([
      "prompts: ['Say {{w}}']",
      'providers: ["openai:gpt-4o-mini", "openai:chat:gpt-4o-mini"]',
      'tests: [{vars: {w: a}}]',
    ]);
    const issues = serverIssues(p, { db: 'sqlite:x.db', filterPattern: /a/ });
    assert.match(issues.join('\n'), /are one model on the service \(openai:gpt-4o-mini\)/);
    assert.match(issues.join('\n'), /--db/);
    assert.match(issues.join('\n'), /--filter-pattern/);
  });
});

describe('Retry-After', () => {
  it('is read in seconds or as a date, 1 s when absent, capped', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(null), 1000);
    assert.equal(retryAfterMs('soon'), 1000);
    assert.equal(retryAfterMs('3600'), MAX_WAIT_MS);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  });
});
