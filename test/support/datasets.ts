/**
 * Where the labelled benchmark data lives: `PCS_DATASETS`; else `../shared/datasets` beside
 * the checkout (as on every development machine and in CI); else, for a clone of a local
 * checkout made elsewhere (a throwaway CI run in a temporary folder), beside the checkout it was
 * cloned from. Missing data is an error, not a skip: the scorers are only trusted once they
 * reproduce the published numbers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

function originCheckout(): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return isAbsolute(url) && existsSync(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

function datasetsRoot(): string {
  if (process.env.PCS_DATASETS !== undefined) return process.env.PCS_DATASETS;
  const beside = join(process.cwd(), '..', 'shared', 'datasets');
  if (existsSync(beside)) return beside;
  const origin = originCheckout();
  const besideOrigin = origin === undefined ? undefined : join(origin, '..', 'shared', 'datasets');
  return besideOrigin !== undefined && existsSync(besideOrigin) ? besideOrigin : beside;
}

export function datasetDir(name: 'nab' | 'm4-hourly'): string {
  const dir = join(datasetsRoot(), name);
  if (!existsSync(dir))
    throw new Error(`Benchmark data not found at ${dir}: set PCS_DATASETS to the datasets folder`);
  return dir;
}
