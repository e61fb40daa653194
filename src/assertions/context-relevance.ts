/**
 * promptfoo's `context-relevance` (RAGAS context relevance, see grader-prompts.ts): the share
 * of the retrieved context needed to answer the `query` variable. The context's units are
 * its chunks (a list), its lines (a text of several lines) or its sentences (one paragraph);
 * the grader copies the relevant ones, counted the same way (distinct, at most all units), or
 * answers `Insufficient Information` (score 0). Passes at the threshold (default 0). An
 * answer that quotes nothing of the context is the result's error (not a low score). A custom
 * `rubricPrompt` gets `context` and `query`.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/context-relevance/
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { askGraderWith, GraderAnswerError, lines, sentences } from './grader-conversation.js';
import { CONTEXT_RELEVANCE, INSUFFICIENT_INFORMATION } from './grader-prompts.js';
import { queryOf, retrievedContext, type RetrievedContext } from './retrieved-context.js';

const flat = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Relevant units over all units; undefined when the answer quotes nothing of the context. */
export function relevanceScore(
  retrieved: RetrievedContext,
  answer: string,
): { relevant: number; total: number } | undefined {
  const byLine = retrieved.chunked || lines(retrieved.text).length > 1;
  const units = retrieved.chunked
    ? retrieved.chunks
    : byLine
      ? lines(retrieved.text)
      : sentences(retrieved.text);
  if (answer.includes(INSUFFICIENT_INFORMATION)) return { relevant: 0, total: units.length };
  const picked = [...new Set(byLine ? lines(answer) : sentences(answer))];
  const whole = flat(retrieved.text);
  const quoted = picked.filter((p) =>
    whole.includes(flat(p.replace(/^\s*(?:\d+[.)]|[-*])\s*/, ''))),
  );
  if (quoted.length === 0) return undefined;
  return { relevant: Math.min(picked.length, units.length), total: units.length };
}

export const contextRelevance = defineAssertion({
  type: 'context-relevance',
  description:
    'RAGAS context relevance: the share of the retrieved context needed for the query reaches the threshold (default 0)',
  valueSchema: z.unknown().refine((v) => v === undefined, 'is not used by context-relevance'),
  defaultThreshold: 0,
  callsModel: true,
  usesRubricPrompt: true,
  usesContext: true,
  async evaluate(_value, threshold, context) {
    const query = queryOf(context, 'context-relevance');
    const retrieved = await retrievedContext(context, 'context-relevance');
    const answer = await askGraderWith(context, context.rubricPrompt ?? CONTEXT_RELEVANCE, {
      context: retrieved.text,
      query,
    });
    const counted = relevanceScore(retrieved, answer);
    if (counted === undefined)
      throw new GraderAnswerError(
        'context-relevance: the answer quotes nothing of the context',
        answer,
      );
    const score = counted.total === 0 ? 0 : counted.relevant / counted.total;
    return {
      pass: score >= threshold,
      score,
      reason: `Context relevance ${score.toFixed(2)} (${counted.relevant} of ${counted.total} units); threshold ${threshold}`,
    };
  },
});
