export { onlineRouteDocs } from './online-route-docs.js';
export { onlineSummaryRouteDocs } from './online-summary-docs.js';
export type { OnlineEvaluator } from './online-evaluator.js';
export type { OnlineEvalStore } from './online-eval-store.js';
