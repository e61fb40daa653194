export type { AssertionContext, AssertionKind, AssertionOutcome } from './assertion.js';
export { ASSERTION_KINDS, ASSERTION_TYPES } from './registry.js';
export { assertionSpecSchema, type AssertionSpec } from './spec-schema.js';
export {
  callsModel,
  combine,
  evaluateAssertions,
  type AssertionResult,
  type Evaluation,
} from './evaluate.js';
export { cosineSimilarity } from './similar.js';
export { assertionFromString, type WrittenAssertion } from './promptfoo-shorthand.js';
