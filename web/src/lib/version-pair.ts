/**
 * Which two prompt versions the diff shows first: the one before the newest (`from`, old, its
 * lines shown as removed) against the newest (`to`, new, its lines shown as added). Takes the
 * version numbers in any order; null when there are none.
 */
export function defaultDiffPair(versions: readonly number[]): [from: number, to: number] | null {
  if (versions.length === 0) return null;
  const sorted = [...versions].sort((x, y) => y - x);
  const newest = sorted[0] ?? 1;
  return [sorted[1] ?? newest, newest];
}

/** The server's version diff (`GET /api/prompt-cards/:id/versions/:from/diff/:to`). */
export interface VersionDiff {
  from: number;
  to: number;
  lines: { op: 'keep' | 'remove' | 'add'; text: string }[];
  exact: boolean;
  max_edit_lines: number;
  deadline_ms: number;
  variables_added: string[];
  variables_removed: string[];
}

/** Which budget the server ran out of, for a diff shown coarsely; null for an exact diff. */
export function coarseNote(diff: VersionDiff): string | null {
  return diff.exact
    ? null
    : `Too many changes to align line by line (more than ${diff.max_edit_lines} changed lines or ${diff.deadline_ms} ms): the changed part is shown as all old lines removed, then all new lines added.`;
}
