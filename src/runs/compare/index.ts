export {
  compareRuns,
  type ModelComparison,
  type CaseChange,
  type ComparedResult,
  type Change,
  type ComparisonVerdict,
} from './compare-runs.js';
export { mcnemarExactP } from './mcnemar.js';
export { bootstrapMeanInterval } from './bootstrap.js';
export { passHatK } from './pass-hat-k.js';
export { RunComparer, type Comparison, type RegressionEvent } from './run-comparer.js';
