/**
 * promptfoo's `is-sql` and `contains-sql`, on the same parser (node-sql-parser).
 * - `is-sql`: the whole output parses as SQL of `databaseType` (default MySQL; node-sql-parser's
 *   dialect names, any case). With `allowedTables` / `allowedColumns`, every table / column the
 *   statement touches, written `<action>::<db>::<table>` / `<action>::<table>::<column>` (e.g.
 *   `select::null::users`, `select::users::name`), must match one entry of the list; entries
 *   are patterns matched against the whole authority, ignoring case, as node-sql-parser does
 *   (here on RE2, linear time).
 * - `contains-sql`: the same check on the first Markdown code block (```sql … ``` or ``` … ```)
 *   of the output, or on the whole output when it has none.
 * Each dialect's parser is loaded on the first SQL assertion naming it, not when the program starts.
 */
import { z } from 'zod';
import { binary, defineAssertion, type AssertionOutcome } from './assertion.js';
import { compileLinear, linearRegexProblem } from '../util/index.js';

/** node-sql-parser's dialects (its `database` option, compared lowercased). */
export const SQL_DIALECTS = [
  'athena',
  'bigquery',
  'db2',
  'flinksql',
  'hive',
  'mariadb',
  'mysql',
  'noql',
  'postgresql',
  'redshift',
  'snowflake',
  'sqlite',
  'transactsql',
  'trino',
] as const;
type Dialect = (typeof SQL_DIALECTS)[number];

const authority = z.string().superRefine((entry, ctx) => {
  const problem = linearRegexProblem(`^${entry}$`);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `bad pattern: ${problem}` });
});

const sqlValue = z.union(
  [
    z.null(),
    z.undefined(),
    z.strictObject({
      databaseType: z
        .string()
        .refine((d) => (SQL_DIALECTS as readonly string[]).includes(d.toLowerCase()), {
          message: `must be one of ${SQL_DIALECTS.join(', ')} (any case)`,
        })
        .optional(),
      allowedTables: z.array(authority, { error: 'must be a list of texts' }).optional(),
      allowedColumns: z.array(authority, { error: 'must be a list of texts' }).optional(),
    }),
  ],
  { error: 'must be {databaseType?, allowedTables?, allowedColumns?} or nothing' },
);
type SqlValue = z.infer<typeof sqlValue>;

interface SqlParser {
  /** One parse: the statement's tree and the authorities it touches; throws on a syntax error. */
  parse(sql: string, opt: { database: string }): { tableList: string[]; columnList: string[] };
}

// One build per dialect (0.3 MB each, against 2.5 MB for the package's all-dialect entry): a
// suite loads only the dialects it names. Static paths, so a bundler can follow them.
const BUILDS: Readonly<Record<Dialect, () => Promise<unknown>>> = {
  athena: () => import('node-sql-parser/build/athena.js'),
  bigquery: () => import('node-sql-parser/build/bigquery.js'),
  db2: () => import('node-sql-parser/build/db2.js'),
  flinksql: () => import('node-sql-parser/build/flinksql.js'),
  hive: () => import('node-sql-parser/build/hive.js'),
  mariadb: () => import('node-sql-parser/build/mariadb.js'),
  mysql: () => import('node-sql-parser/build/mysql.js'),
  noql: () => import('node-sql-parser/build/noql.js'),
  postgresql: () => import('node-sql-parser/build/postgresql.js'),
  redshift: () => import('node-sql-parser/build/redshift.js'),
  snowflake: () => import('node-sql-parser/build/snowflake.js'),
  sqlite: () => import('node-sql-parser/build/sqlite.js'),
  transactsql: () => import('node-sql-parser/build/transactsql.js'),
  trino: () => import('node-sql-parser/build/trino.js'),
};
const parsers = new Map<Dialect, Promise<SqlParser>>();

function loadParser(dialect: Dialect): Promise<SqlParser> {
  let parser = parsers.get(dialect);
  if (parser === undefined) {
    parser = BUILDS[dialect]().then((mod) => {
      const m = mod as { Parser?: new () => SqlParser; default?: { Parser?: new () => SqlParser } };
      const Parser = m.Parser ?? m.default?.Parser;
      if (Parser === undefined) throw new Error(`node-sql-parser has no ${dialect} parser`);
      return new Parser();
    });
    parsers.set(dialect, parser);
  }
  return parser;
}

/** The first authority of `used` no pattern of `allowed` matches (whole text, any case). */
function unauthorized(used: readonly string[], allowed: readonly string[]): string | undefined {
  const patterns = allowed.map((entry) => compileLinear(`(?i)^${entry}$`));
  return used.find((item) => !patterns.some((p) => p.matcher(item).find()));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function checkSql(sql: string, value: SqlValue): Promise<AssertionOutcome> {
  const databaseType = value?.databaseType ?? 'MySQL';
  const dialect = databaseType.toLowerCase() as Dialect;
  const sqlParser = await loadParser(dialect);
  const reasons: string[] = [];
  let parsed: { tableList: string[]; columnList: string[] } | undefined;
  let parseError = '';
  try {
    parsed = sqlParser.parse(sql, { database: dialect });
  } catch (error) {
    parseError = message(error);
    reasons.push(`SQL statement does not conform to the provided ${databaseType} database syntax.`);
  }
  const lists = [
    ['table', value?.allowedTables, parsed?.tableList],
    ['column', value?.allowedColumns, parsed?.columnList],
  ] as const;
  for (const [mode, allowed, used] of lists) {
    if (allowed === undefined || allowed.length === 0) continue;
    // As node-sql-parser's whiteListCheck: SQL that does not parse fails the list too.
    const missing = used === undefined ? undefined : unauthorized(used, allowed);
    if (used === undefined) reasons.push(`SQL validation failed: ${parseError}.`);
    else if (missing !== undefined)
      reasons.push(
        `SQL validation failed: authority = '${missing}' is required in ${mode} whiteList to execute SQL = '${sql}'.`,
      );
  }
  return binary(
    reasons.length === 0,
    reasons.length === 0 ? `Output is valid ${databaseType} SQL` : reasons.join(' '),
  );
}

export const isSql = defineAssertion({
  type: 'is-sql',
  description:
    'Output is one SQL statement of {databaseType} (default MySQL), touching only allowedTables/allowedColumns when given',
  valueSchema: sqlValue,
  evaluate: (value, _threshold, { output }) => checkSql(output, value),
});

const CODE_BLOCK = /```(?:sql)?([^`]+)```/;

export const containsSql = defineAssertion({
  type: 'contains-sql',
  description:
    "Output's first code block (else the whole output) is valid SQL, as is-sql with the same value",
  valueSchema: sqlValue,
  evaluate(value, _threshold, { output }) {
    const block = CODE_BLOCK.exec(output)?.[1];
    return checkSql(block === undefined ? output : block.trim(), value);
  },
});
