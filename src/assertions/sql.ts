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
 * The parser (a few MB) is loaded on the first SQL assertion, not when the program starts.
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
  astify(sql: string, opt: { database: string }): unknown;
  tableList(sql: string, opt: { database: string }): string[];
  columnList(sql: string, opt: { database: string }): string[];
}

let parser: Promise<SqlParser> | undefined;

function loadParser(): Promise<SqlParser> {
  parser ??= import('node-sql-parser').then((mod) => new mod.default.Parser() as SqlParser);
  return parser;
}

/** The first authority of `used` no pattern of `allowed` matches (whole text, any case). */
function unauthorized(used: readonly string[], allowed: readonly string[]): string | undefined {
  const patterns = allowed.map((entry) => compileLinear(`(?i)^${entry}$`));
  return used.find((item) => !patterns.some((p) => p.matcher(item).find()));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function checkSql(sql: string, value: SqlValue): Promise<AssertionOutcome> {
  const sqlParser = await loadParser();
  const databaseType = value?.databaseType ?? 'MySQL';
  const opt = { database: databaseType };
  const reasons: string[] = [];
  try {
    sqlParser.astify(sql, opt);
  } catch {
    reasons.push(`SQL statement does not conform to the provided ${databaseType} database syntax.`);
  }
  const lists = [
    ['table', value?.allowedTables, () => sqlParser.tableList(sql, opt)],
    ['column', value?.allowedColumns, () => sqlParser.columnList(sql, opt)],
  ] as const;
  for (const [mode, allowed, used] of lists) {
    if (allowed === undefined || allowed.length === 0) continue;
    try {
      const missing = unauthorized(used(), allowed);
      if (missing !== undefined)
        reasons.push(
          `SQL validation failed: authority = '${missing}' is required in ${mode} whiteList to execute SQL = '${sql}'.`,
        );
    } catch (error) {
      reasons.push(`SQL validation failed: ${message(error)}.`);
    }
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
