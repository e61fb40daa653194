import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CardinalityGuard, OVERFLOW } from '../../../src/telemetry/metrics/index.js';

describe('cardinality guard', () => {
  it('admits label sets up to the cap, then folds the user-sourced labels and counts it', () => {
    const folds: string[] = [];
    const guard = new CardinalityGuard(2, (metric) => folds.push(metric));
    assert.deepEqual(guard.admit('m', { model: 'a', status: 'ok' }, ['model']), {
      model: 'a',
      status: 'ok',
    });
    assert.deepEqual(guard.admit('m', { model: 'b', status: 'ok' }, ['model']), {
      model: 'b',
      status: 'ok',
    });
    assert.deepEqual(guard.admit('m', { model: 'c', status: 'ok' }, ['model']), {
      model: OVERFLOW,
      status: 'ok',
    });
    assert.deepEqual(guard.admit('m', { model: 'd', status: 'ok' }, ['model']), {
      model: OVERFLOW,
      status: 'ok',
    });
    assert.deepEqual(folds, ['m', 'm']);
  });

  it('keeps serving label sets it has already admitted', () => {
    const guard = new CardinalityGuard(1, () => undefined);
    guard.admit('m', { model: 'a' }, ['model']);
    guard.admit('m', { model: 'b' }, ['model']);
    assert.deepEqual(guard.admit('m', { model: 'a' }, ['model']), { model: 'a' });
  });

  it('counts each metric separately', () => {
    const guard = new CardinalityGuard(1, () => undefined);
    assert.deepEqual(guard.admit('x', { model: 'a' }, ['model']), { model: 'a' });
    assert.deepEqual(guard.admit('y', { model: 'b' }, ['model']), { model: 'b' });
  });
});
