/**
 * A token count from a provider's answer: a non-negative safe integer, or null (unknown) when
 * the field is missing, null, a string, fractional, negative or not finite. Unknown is never 0.
 */
export function tokenCount(container: unknown, field: string): number | null {
  if (typeof container !== 'object' || container === null) return null;
  const value = (container as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
