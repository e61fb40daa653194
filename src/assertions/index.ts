export type { AssertionContext, AssertionKind, AssertionOutcome } from './assertion.js';
export { ASSERTION_KINDS, ASSERTION_TYPES, kindOf } from './registry.js';
export { assertionSpecSchema, type AssertionSpec } from './spec-schema.js';
export { rubricPromptSyntaxError } from './rubric-prompt.js';
export {
  callsModel,
  combine,
  evaluateAssertions,
  evaluationError,
  needsLogProbs,
  type AssertionResult,
  type Evaluation,
  type ExpectedOutput,
} from './evaluate.js';
export { literalValue, renderedMetrics, renderedSetting } from './render-value.js';
export {
  checkExpectedOutput,
  EXPECTED_OUTPUT_CHECK,
  EXPECTED_OUTPUT_MATCHES,
  type ExpectedOutputMatch,
} from './expected-output.js';
export { cosineSimilarity } from './similar.js';
export {
  assertionFromString,
  PROMPTFOO_TYPES,
  type WrittenAssertion,
} from './promptfoo-shorthand.js';
export { allowLocalCode } from './local-code.js';
export {
  allowAnyAssertionEndpoint,
  configureAssertionEndpoints,
  type EndpointPolicy,
} from './outbound.js';
export { ASSERT_SET, gradeTest, leafSpecs, type TestGrade } from './grade-test.js';
export {
  comparativeSpecs,
  isComparative,
  maxScoreVerdicts,
  selectBestMessages,
  selectBestVerdicts,
  tooFewOutputs,
  withoutComparative,
  MAX_SCORE,
  SELECT_BEST,
  type MaxScoreValue,
} from './comparative.js';
