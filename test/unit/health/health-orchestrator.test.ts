import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HealthOrchestrator,
  overallStatus,
  type CheckResult,
  type CheckStatus,
  type HealthCheck,
} from '../../../src/health/index.js';

const result = (status: CheckStatus, critical: boolean): CheckResult => ({
  name: 'x',
  critical,
  status,
  latency_ms: 1,
  checked_at: '',
});

function countingCheck(name: string, critical: boolean, status: () => CheckStatus) {
  let runs = 0;
  const check: HealthCheck = {
    name,
    critical,
    run: () => {
      runs++;
      return Promise.resolve({ status: status() });
    },
  };
  return { check, runs: () => runs };
}

describe('health decision', () => {
  it('is unhealthy only when a critical check fails', () => {
    assert.equal(overallStatus([result('pass', true), result('fail', true)]), 'unhealthy');
    assert.equal(overallStatus([result('pass', true), result('fail', false)]), 'degraded');
    assert.equal(overallStatus([result('warn', true), result('pass', false)]), 'degraded');
    assert.equal(overallStatus([result('pass', true), result('pass', false)]), 'healthy');
    assert.equal(overallStatus([]), 'healthy');
  });
});

describe('HealthOrchestrator', () => {
  it('reuses a result within the cache TTL and runs the check again after it (injected clock)', async () => {
    let now = 1_000_000;
    const db = countingCheck('database', true, () => 'pass');
    const health = new HealthOrchestrator([db.check], { cacheTtlMs: 5000, now: () => now });
    await health.getComprehensiveHealth();
    now += 4999;
    await health.getComprehensiveHealth();
    assert.equal(db.runs(), 1);
    now += 2;
    await health.getComprehensiveHealth();
    assert.equal(db.runs(), 2);
  });

  it('shares one run of a check between concurrent probes', async () => {
    const db = countingCheck('database', true, () => 'pass');
    const health = new HealthOrchestrator([db.check], { cacheTtlMs: 0 });
    await Promise.all([
      health.getComprehensiveHealth(),
      health.isReady(),
      health.getServiceHealth('database'),
    ]);
    assert.equal(db.runs(), 1);
  });

  it('fails a check that misses its deadline, without waiting for it', async () => {
    const hanging: HealthCheck = {
      name: 'provider:slow',
      critical: false,
      run: () => new Promise(() => undefined),
    };
    const health = new HealthOrchestrator([hanging], { deadlineMs: 50 });
    const started = Date.now();
    const report = await health.getComprehensiveHealth();
    assert.ok(Date.now() - started < 1000);
    assert.equal(report.status, 'degraded');
    assert.equal(report.checks[0]?.status, 'fail');
    assert.match(report.checks[0]?.message ?? '', /50 ms/);
  });

  it('turns a throwing check into a failure', async () => {
    const broken: HealthCheck = {
      name: 'database',
      critical: true,
      run: () => Promise.reject(new Error('boom')),
    };
    const report = await new HealthOrchestrator([broken]).getComprehensiveHealth();
    assert.equal(report.status, 'unhealthy');
    assert.equal(report.checks[0]?.message, 'boom');
  });

  it('is ready while critical checks pass, and not from the moment shutdown begins', async () => {
    let dbStatus: CheckStatus = 'pass';
    const db = countingCheck('database', true, () => dbStatus);
    const provider = countingCheck('provider:x', false, () => 'fail');
    const health = new HealthOrchestrator([db.check, provider.check], { cacheTtlMs: 0 });
    assert.equal(await health.isReady(), true);
    dbStatus = 'fail';
    assert.equal(await health.isReady(), false);
    dbStatus = 'pass';
    health.beginShutdown();
    assert.equal(await health.isReady(), false);
    assert.equal(health.isLive(), true);
  });

  it('answers undefined for an unknown check name', async () => {
    assert.equal(await new HealthOrchestrator([]).getServiceHealth('nope'), undefined);
  });
});
