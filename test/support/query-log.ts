/**
 * A Kysely plugin that writes down every query a database handle runs: its kind (select,
 * insert, update, delete), the tables it names and, for updates, the columns it sets. Stores
 * built over `db.withPlugin(log.plugin)` share the real connection; tests read `entries` to
 * count what a piece of work read and wrote.
 */
import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

export interface LoggedQuery {
  readonly kind: 'select' | 'insert' | 'update' | 'delete' | 'other';
  readonly tables: readonly string[];
  /** Columns an update sets. */
  readonly sets: readonly string[];
}

type AnyNode = OperationNode & Record<string, unknown>;

function tableOf(node: unknown): string | undefined {
  const n = node as AnyNode | undefined;
  if (n === undefined || n === null) return undefined;
  if (n.kind === 'TableNode')
    return ((n.table as AnyNode).identifier as { name: string } | undefined)?.name;
  if (n.kind === 'AliasNode') return tableOf(n.node);
  return undefined;
}

function describe(node: RootOperationNode): LoggedQuery {
  const n = node as unknown as AnyNode;
  switch (n.kind) {
    case 'SelectQueryNode': {
      const froms = ((n.from as AnyNode | undefined)?.froms as unknown[] | undefined) ?? [];
      const joins = ((n.joins as AnyNode[] | undefined) ?? []).map((j) => j.table);
      const tables = [...froms, ...joins].map(tableOf).filter((t) => t !== undefined);
      return { kind: 'select', tables, sets: [] };
    }
    case 'UpdateQueryNode': {
      const sets = ((n.updates as AnyNode[] | undefined) ?? []).map(
        (u) => ((u.column as AnyNode).column as { name: string }).name,
      );
      return { kind: 'update', tables: [tableOf(n.table)].filter((t) => t !== undefined), sets };
    }
    case 'InsertQueryNode':
      return { kind: 'insert', tables: [tableOf(n.into)].filter((t) => t !== undefined), sets: [] };
    case 'DeleteQueryNode': {
      const froms = ((n.from as AnyNode | undefined)?.froms as unknown[] | undefined) ?? [];
      return {
        kind: 'delete',
        tables: froms.map(tableOf).filter((t) => t !== undefined),
        sets: [],
      };
    }
    default:
      return { kind: 'other', tables: [], sets: [] };
  }
}

export class QueryLog {
  readonly entries: LoggedQuery[] = [];

  readonly plugin: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => {
      this.entries.push(describe(args.node));
      return args.node;
    },
    transformResult: (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
      Promise.resolve(args.result),
  };

  clear(): void {
    this.entries.length = 0;
  }

  /** Selects that read `table`. */
  reads(table: string): number {
    return this.entries.filter((e) => e.kind === 'select' && e.tables.includes(table)).length;
  }

  /** Position of the first update of `table` that sets `column` (-1 when none). */
  firstUpdateSetting(table: string, column: string): number {
    return this.entries.findIndex(
      (e) => e.kind === 'update' && e.tables.includes(table) && e.sets.includes(column),
    );
  }

  /** Selects of `table` after position `index`. */
  readsAfter(table: string, index: number): number {
    return this.entries
      .slice(index + 1)
      .filter((e) => e.kind === 'select' && e.tables.includes(table)).length;
  }
}
