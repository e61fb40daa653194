/**
 * Duplicate columns of a CSV header. A CSV parser that maps each row to an object by header
 * keeps only the last of two columns with one name, silently: a tests file or a bulk import
 * with `name,q,name` would lose a column. Callers refuse such a header instead.
 */

/** A column named twice: its name and the 1-based numbers of its first and second columns. */
export interface DuplicateColumn {
  readonly name: string;
  readonly first: number;
  readonly second: number;
}

/**
 * Every column whose key repeats an earlier column's, in header order. `key` maps a column to
 * what it fills (default: its text), so two spellings of one field count as one.
 */
export function duplicateColumns(
  header: readonly string[],
  key: (column: string) => string = (column) => column,
): DuplicateColumn[] {
  const seen = new Map<string, number>();
  const duplicates: DuplicateColumn[] = [];
  header.forEach((column, index) => {
    const k = key(column);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index + 1);
    else duplicates.push({ name: column, first, second: index + 1 });
  });
  return duplicates;
}

/** "column 1 and column 3" wording shared by the CLI and the API. */
export function describeDuplicate(d: DuplicateColumn): string {
  return `column "${d.name}" appears twice (columns ${d.first} and ${d.second}); rename or remove one`;
}
