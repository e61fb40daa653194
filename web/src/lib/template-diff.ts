/** Line diff of two templates (jsdiff), as rows a table can show. */
import { diffLines } from 'diff';

export interface DiffRow {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

export function templateDiff(before: string, after: string): DiffRow[] {
  return diffLines(before, after).flatMap((part) => {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    return part.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ kind, text }));
  });
}
