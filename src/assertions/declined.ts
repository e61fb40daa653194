/**
 * A declined answer: the model refused (OpenAI's `message.refusal`, a `refusal` finish reason)
 * or a content filter stopped it (`content_filter`, the text possibly cut off). Such an answer
 * is not the model's answer to the prompt, so it fails every check except those about how the
 * model stopped (`is-refusal`, `finish-reason`): an empty refusal must not pass `not-contains`
 * or `length`, and a filtered fragment must not pass for an answer.
 */
import { excerpt, type AssertionContext } from './assertion.js';

/** Finish reasons that mean the answer was withheld, lower case. */
const DECLINING_FINISH_REASONS: ReadonlySet<string> = new Set(['content_filter', 'refusal']);

/** Why the answer is not an answer, for the failed checks' reason; undefined for a normal one. */
export function declinedReason(
  context: Pick<AssertionContext, 'refusal' | 'finishReason'>,
): string | undefined {
  if (context.refusal !== undefined && context.refusal !== '')
    return `The model refused: ${excerpt(context.refusal)}`;
  const reason = context.finishReason?.toLowerCase();
  if (reason === 'content_filter')
    return 'A content filter stopped the answer (finish reason content_filter)';
  if (reason !== undefined && DECLINING_FINISH_REASONS.has(reason))
    return `The model refused (finish reason ${reason})`;
  return undefined;
}
