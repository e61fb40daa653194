/**
 * The grader's score: a number in [0, 1], or a string that is exactly such a decimal number
 * (`"0.75"`: models often quote numbers). Anything else is undefined (not an answer).
 */
export function graderScore(raw: unknown): number | undefined {
  const score =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' &&
          /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw.trim())
        ? Number(raw)
        : undefined;
  return score !== undefined && Number.isFinite(score) && score >= 0 && score <= 1
    ? score
    : undefined;
}
