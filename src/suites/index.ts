export { loadSuite, type LoadedSuite, type LoadedPrompt } from './load-suite.js';
export {
  planSuite,
  storedVars,
  type SuitePlan,
  type PlannedTest,
  type PlannedCard,
  type PlanOptions,
  type SkippedAssertion,
  testCaseName,
} from './plan-suite.js';
export { type PlannedProvider, type Backend, unknownSimulatedModel } from './suite-providers.js';
export { SuiteError, formatIssue, type SuiteIssue } from './suite-error.js';
export { assertionFromString } from '../assertions/index.js';
export { EMBEDDING_KINDS, EMBEDDING_ONLY_KINDS } from './plan-assertions.js';
export {
  conversationTurn,
  renderTurn,
  readsConversation,
  type ConversationTurn,
} from './sequential.js';
