/** Every assertion kind, by its `type`. A new kind is one file plus one line here. */
import type { AssertionKind } from './assertion.js';
import { contains } from './contains.js';
import { containsAll, containsAny, icontainsAll, icontainsAny } from './contains-some.js';
import { isValidOpenAiToolsCall } from './is-valid-openai-tools-call.js';
import { javascript } from './javascript.js';
import { isValidOpenAiFunctionCall } from './is-valid-openai-function-call.js';
import { finishReason } from './finish-reason.js';
import { isRefusal } from './is-refusal.js';
import { cost } from './cost.js';
import { equals } from './equals.js';
import { icontains } from './icontains.js';
import { isJson } from './is-json.js';
import { jsonSchema } from './json-schema.js';
import { latency } from './latency.js';
import { length } from './length.js';
import { llmRubric } from './llm-rubric.js';
import { notContains } from './not-contains.js';
import { regex } from './regex.js';
import { similar } from './similar.js';
// Model-graded kinds (promptfoo's, see each file).
import { similarCosine, similarDot, similarEuclidean } from './similar.js';
import { gEval } from './g-eval.js';
import { factuality } from './factuality.js';
import { modelGradedClosedQa } from './model-graded-closedqa.js';
import { answerRelevance } from './answer-relevance.js';
import { contextFaithfulness } from './context-faithfulness.js';
import { contextRecall } from './context-recall.js';
import { contextRelevance } from './context-relevance.js';
import { python } from './python.js';
import { startsWith } from './starts-with.js';
// Reference-text metrics, logprob metrics and outside endpoints (promptfoo's kinds).
import { bleu } from './bleu.js';
import { classifier } from './classifier.js';
import { gleu } from './gleu.js';
import { levenshtein } from './levenshtein.js';
import { meteor } from './meteor.js';
import { perplexity, perplexityScore } from './perplexity.js';
import { rouge } from './rouge-n.js';
import { webhook } from './webhook.js';
import { containsJson } from './contains-json.js';
import { containsXml, isXml } from './xml.js';
import { containsSql, isSql } from './sql.js';
import { isHtml } from './is-html.js';
import { wordCount } from './word-count.js';
import { toolCallF1 } from './tool-call-f1.js';
import { maxScore, selectBest } from './comparative.js';
import { moderation } from './moderation.js';

// Each kind is typed against its own value; `evaluate` is a method, so TypeScript checks its
// parameter bivariantly and the kinds fit one list. Values are parsed by `valueSchema` first.
const kinds: AssertionKind<unknown>[] = [
  equals,
  contains,
  icontains,
  notContains,
  startsWith,
  regex,
  length,
  isJson,
  jsonSchema,
  latency,
  cost,
  similar,
  llmRubric,
  containsAny,
  containsAll,
  icontainsAny,
  icontainsAll,
  javascript,
  isValidOpenAiToolsCall,
  isValidOpenAiFunctionCall,
  finishReason,
  isRefusal,
  python,
  // Model-graded kinds (promptfoo's).
  similarCosine,
  similarDot,
  similarEuclidean,
  gEval,
  factuality,
  modelGradedClosedQa,
  answerRelevance,
  contextFaithfulness,
  contextRecall,
  contextRelevance,
  levenshtein,
  rouge,
  bleu,
  gleu,
  meteor,
  perplexity,
  perplexityScore,
  webhook,
  classifier,
  moderation,
  // promptfoo's structured-output kinds
  containsJson,
  isXml,
  containsXml,
  isSql,
  containsSql,
  isHtml,
  wordCount,
  toolCallF1,
  // Graded across the outputs of a test row (comparative.ts).
  selectBest,
  maxScore,
];

export const ASSERTION_KINDS: ReadonlyMap<string, AssertionKind<unknown>> = new Map(
  kinds.map((kind) => [kind.type, kind]),
);

export const ASSERTION_TYPES = [...ASSERTION_KINDS.keys()];

/**
 * The kind of a type, and whether its verdict is inverted: promptfoo's `not-` prefix works on
 * every kind (`not-contains` has its own kind and wins).
 */
export function kindOf(
  type: string,
): { kind: AssertionKind<unknown>; negate: boolean } | undefined {
  const own = ASSERTION_KINDS.get(type);
  if (own !== undefined) return { kind: own, negate: false };
  const base = type.startsWith('not-') ? ASSERTION_KINDS.get(type.slice(4)) : undefined;
  return base === undefined ? undefined : { kind: base, negate: true };
}
