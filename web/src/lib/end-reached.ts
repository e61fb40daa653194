/**
 * When a virtual list should read its next page: its last drawn row is within `margin` rows of
 * the end of what is held, or nothing is held (e.g. a filter that keeps none of the loaded rows).
 * Rows held but none drawn yet (the list not measured) is not the end.
 */
export function nearEnd(
  lastDrawnIndex: number | undefined,
  count: number,
  margin: number,
): boolean {
  if (count === 0) return true;
  return lastDrawnIndex !== undefined && lastDrawnIndex >= count - 1 - margin;
}
