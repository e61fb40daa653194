/**
 * YAML (and JSON, which the YAML 1.2 parser reads too) with source positions, validated against
 * a zod schema: each schema issue becomes a `SuiteIssue` with the line of the node it is about
 * (the offending key itself for an unknown key).
 */
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { fastYamlValue } from './fast-yaml.js';
import { formatPath, SuiteError, type SuiteIssue } from './suite-error.js';

export class LocatedDocument {
  private parsed: { readonly doc: Document.Parsed; readonly lines: LineCounter } | undefined;

  private constructor(
    readonly file: string,
    private readonly text: string,
    /** The fast reading's data (fast-yaml.ts), or undefined when the `yaml` package read it. */
    private readonly fast: object | undefined,
  ) {}

  /**
   * Parses `text`; a syntax error is a SuiteError with its line. Read fast (fast-yaml.ts) when
   * that gives the same data; the `yaml` package's document, which knows the lines, is then
   * built only when a line is asked for (an issue to report, a test's `line`).
   */
  static parse(file: string, text: string): LocatedDocument {
    const source = text.replace(/^\uFEFF/, '');
    const fast = fastYamlValue(source);
    const document = new LocatedDocument(file, source, fast);
    if (fast === undefined) document.located();
    return document;
  }

  /** The `yaml` package's document and line counter, parsed on first use. */
  private located(): { readonly doc: Document.Parsed; readonly lines: LineCounter } {
    if (this.parsed !== undefined) return this.parsed;
    const lines = new LineCounter();
    // `merge: true`: YAML merge keys (`<<: *anchor`), which promptfoo suites use for shared parts.
    const doc = parseDocument(this.text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
    });
    if (doc.errors.length > 0) {
      throw new SuiteError(
        doc.errors.map((error) => ({
          file: this.file,
          path: '',
          ...(error.pos[0] === undefined ? {} : { line: lines.linePos(error.pos[0]).line }),
          message: error.message.split('\n')[0] ?? error.message,
        })),
      );
    }
    this.parsed = { doc, lines };
    return this.parsed;
  }

  /** The document as plain data, promptfoo's local `$ref: '#/a/b'` pointers replaced. */
  value(): unknown {
    const root = this.fast ?? this.plainData();
    return resolveRefs(root, root, 0);
  }

  /**
   * The `yaml` package's data; an alias without its anchor, or too many aliases, is a SuiteError
   * with the alias's line (the package throws a ReferenceError for them from toJS).
   */
  private plainData(): unknown {
    const { doc, lines } = this.located();
    try {
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      let offset: number | undefined;
      visit(doc, {
        Alias(_key, node) {
          if (node.resolve(doc) !== undefined) return undefined;
          offset = node.range?.[0];
          return visit.BREAK;
        },
      });
      const message = error.message.split('\n')[0] ?? error.message;
      throw new SuiteError([
        {
          file: this.file,
          path: '',
          ...(offset === undefined ? {} : { line: lines.linePos(offset).line }),
          message,
        },
      ]);
    }
  }

  /** Line (1-based) of the node at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[], key?: string): number | undefined {
    const { doc, lines } = this.located();
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined;
      if (node === undefined) continue;
      if (key !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range !== undefined && keyNode.range !== null)
          return lines.linePos(keyNode.range[0]).line;
      }
      if (node.range !== undefined && node.range !== null) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  /**
   * `fields` with a `line` property, the line of the node at `path` (see lineOf), looked up when
   * it is first read: a suite read fast builds the located document only for a reported issue.
   */
  withLine<T extends object>(
    fields: T,
    path: readonly PropertyKey[],
  ): T & { readonly line: number | undefined } {
    const lookup = () => {
      const line = this.lineOf(path);
      Object.defineProperty(fields, 'line', { value: line, enumerable: true });
      return line;
    };
    Object.defineProperty(fields, 'line', { get: lookup, enumerable: true, configurable: true });
    return fields as T & { readonly line: number | undefined };
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
        this.issue(issue.path, unsupportedKeyMessage(issue.path, key), { unsupported: key }),
      );
    }
    if (issue.code === 'invalid_union') {
      // Follow the branch that got past the type of the value itself: its issues name the
      // feature (an unknown key, a bad value) where the union alone says only "Invalid input".
      const branches = issue.errors.filter(
        (errors) => !errors.some((e) => e.path.length === 0 && e.code === 'invalid_type'),
      );
      const chosen = branches.length > 0 ? branches : [];
      const deeper = chosen.flat();
      if (deeper.length > 0)
        return deeper.flatMap((e) => this.toIssues({ ...e, path: [...issue.path, ...e.path] }));
      if (issue.message === 'Invalid input')
        return [
          this.issue(
            issue.path,
            `has a form promptfoo's ${formatPath(issue.path) || 'file'} does not take`,
          ),
        ];
    }
    return [this.issue(issue.path, issue.message)];
  }
}

/** promptfoo's keys that exist there but not here (and keys mistaken for one), with what they are. */
const KNOWN_ELSEWHERE: Readonly<Record<string, string>> = {
  filters: 'custom Nunjucks filters go under nunjucksFilters',
  redteam: 'promptfoo red teaming (not part of prompt-cards)',
  extensions: 'promptfoo extension hooks (code run outside a sandbox)',
  tracing: "promptfoo's tracing (prompt-cards traces with OpenTelemetry instead)",
  commandLineOptions: "promptfoo's command-line defaults",
  provider: 'the grader provider, which belongs in options.provider',
};

function unsupportedKeyMessage(path: readonly PropertyKey[], key: string): string {
  const known = KNOWN_ELSEWHERE[key];
  if (known !== undefined && known !== '') return `unsupported key "${key}": ${known}`;
  const hint = didYouMean(key, COMMON_KEYS);
  return `unsupported key "${key}" at ${formatPath(path) || 'the top level'}${hint}`;
}

const COMMON_KEYS = [
  'assert',
  'vars',
  'description',
  'options',
  'threshold',
  'metadata',
  'prompts',
  'providers',
  'tests',
  'defaultTest',
  'transform',
  'value',
  'type',
  'weight',
  'metric',
  'config',
  'label',
  'apiBaseUrl',
  'apiKeyEnvar',
  'temperature',
  'max_tokens',
  'response_format',
];

function resolveRefs(node: unknown, root: unknown, depth: number): unknown {
  if (depth > 50 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((item) => resolveRefs(item, root, depth + 1));
  const record = node as Record<string, unknown>;
  const ref = record.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/') && Object.keys(record).length === 1) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/'))
      target =
        target !== null && typeof target === 'object'
          ? (target as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
          : undefined;
    if (target !== undefined) return resolveRefs(target, root, depth + 1);
  }
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, resolveRefs(v, root, depth + 1)]),
  );
}
