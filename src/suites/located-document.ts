/**
 * YAML (and JSON, which the YAML 1.2 parser reads too) with source positions, validated against
 * a zod schema: each schema issue becomes a `SuiteIssue` with the line of the node it is about
 * (the offending key itself for an unknown key).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { formatPath, SuiteError, type SuiteIssue } from './suite-error.js';

export class LocatedDocument {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `text`; a syntax error is a SuiteError with its line. */
  static parse(file: string, text: string): LocatedDocument {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new SuiteError(
        doc.errors.map((error) => ({
          file,
          path: '',
          ...(error.pos[0] === undefined ? {} : { line: lines.linePos(error.pos[0]).line }),
          message: error.message.split('\n')[0] ?? error.message,
        })),
      );
    }
    return new LocatedDocument(file, doc, lines);
  }

  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 }) as unknown;
  }

  /** Line (1-based) of the node at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[], key?: string): number | undefined {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined;
      if (node === undefined) continue;
      if (key !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range !== undefined && keyNode.range !== null)
          return this.lines.linePos(keyNode.range[0]).line;
      }
      if (node.range !== undefined && node.range !== null)
        return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  issue(
    path: readonly PropertyKey[],
    message: string,
    extra: Partial<SuiteIssue> = {},
  ): SuiteIssue {
    const line = this.lineOf(path, extra.unsupported);
    return {
      file: this.file,
      path: formatPath(path),
      ...(line === undefined ? {} : { line }),
      message,
      ...extra,
    };
  }

  /** Validates the document; throws a SuiteError naming every issue with its line. */
  validate<S extends z.ZodType>(schema: S): z.output<S> {
    const result = schema.safeParse(this.value());
    if (result.success) return result.data;
    throw new SuiteError(result.error.issues.flatMap((issue) => this.toIssues(issue)));
  }

  private toIssues(issue: z.core.$ZodIssue): SuiteIssue[] {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        this.issue(issue.path, `unsupported key "${key}"`, { unsupported: key }),
      );
    }
    if (issue.code === 'invalid_union') {
      // Name the branch's own issue when one branch got further than a type mismatch.
      const deeper = issue.errors
        .flat()
        .filter((e) => e.code !== 'invalid_type' && e.code !== 'invalid_union');
      if (deeper.length > 0)
        return deeper.flatMap((e) => this.toIssues({ ...e, path: [...issue.path, ...e.path] }));
    }
    return [this.issue(issue.path, issue.message)];
  }
}
