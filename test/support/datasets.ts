/**
 * Where the labelled benchmark data lives: `PCS_DATASETS`, or `../shared/datasets` beside the
 * checkout (as on every development machine and in CI). Missing data is an error, not a skip:
 * the scorers are only trusted once they reproduce the published numbers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function datasetDir(name: 'nab' | 'm4-hourly'): string {
  const root = process.env.PCS_DATASETS ?? join(process.cwd(), '..', 'shared', 'datasets');
  const dir = join(root, name);
  if (!existsSync(dir))
    throw new Error(`Benchmark data not found at ${dir}: set PCS_DATASETS to the datasets folder`);
  return dir;
}
