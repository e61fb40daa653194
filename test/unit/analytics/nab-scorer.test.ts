import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { datasetDir } from '../../support/datasets.js';
import { readNabCsv, windowsToRows } from '../../../src/analytics/nab-data.js';
import {
  NAB_PROFILES,
  normalizedScore,
  scaledSigmoid,
  scoreFile,
  type NabProfileName,
} from '../../../src/analytics/nab-scorer.js';

const NAB = datasetDir('nab');

describe('NAB scoring', () => {
  it('rewards the earliest detection in a window fully at the left edge and penalises misses and stray detections', () => {
    assert.ok(Math.abs(scaledSigmoid(0)) < 1e-12);
    assert.equal(scaledSigmoid(4), -1);
    const detected = new Array<boolean>(200).fill(false);
    detected[100] = true; // left edge of the window
    detected[105] = true; // a second detection in the same window adds nothing
    const window = { left: 100, right: 119 };
    const hit = scoreFile(detected, [window], NAB_PROFILES.standard);
    assert.ok(Math.abs(hit.raw - 1) < 1e-12);
    assert.equal(hit.truePositives, 1);
    const miss = scoreFile(
      new Array<boolean>(200).fill(false),
      [window],
      NAB_PROFILES.reward_low_FN_rate,
    );
    assert.equal(miss.raw, -2);
    const stray = new Array<boolean>(200).fill(false);
    stray[50] = true; // no window before it: −A_FP
    assert.ok(
      Math.abs(scoreFile(stray, [window], NAB_PROFILES.standard).raw - (-0.11 - 1)) < 1e-12,
    );
  });

  it('reproduces the published Windowed Gaussian scores on the development split (48.5 / 33.8 / 54.9)', () => {
    const labels = JSON.parse(readFileSync(join(NAB, 'labels.json'), 'utf8')) as Record<
      string,
      [string, string][]
    >;
    const results: Record<NabProfileName, number> = {
      standard: 0,
      reward_low_FP_rate: 0,
      reward_low_FN_rate: 0,
    };
    for (const name of Object.keys(NAB_PROFILES) as NabProfileName[]) {
      const profile = NAB_PROFILES[name];
      const files = Object.entries(labels).map(([file, windows]) => {
        const { times, values } = readNabCsv(join(NAB, 'scorer-check', 'windowedGaussian', file));
        return scoreFile(
          values.map((score) => score >= 1.0),
          windowsToRows(times, windows),
          profile,
        );
      });
      assert.equal(files.length, 32);
      results[name] = Math.round(normalizedScore(files, profile) * 10) / 10;
    }
    assert.deepEqual(results, {
      standard: 48.5,
      reward_low_FP_rate: 33.8,
      reward_low_FN_rate: 54.9,
    });
  });
});
