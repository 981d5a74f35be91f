/**
 * The join builder's choices as data: which tables, which key pairs, which columns, and the
 * JoinSpec the server turns into SQL. Pure functions over the catalog and the suggestions.
 */
import type {
  ColumnInfo,
  DescribeCatalog,
  JoinSpec,
  JoinSuggestion
} from '../../api/client';

export type JoinType = 'inner' | 'left' | 'right' | 'full';
export const JOIN_TYPES: readonly JoinType[] = [
  'inner',
  'left',
  'right',
  'full'
];

/** A table the builder can join: its SQL name (as the catalog lists it) and its columns. */
export interface ITableInfo {
  name: string;
  columns: ColumnInfo[];
  rowCount: number | null;
}

/** One key pair of a join: `<leftTable>.<leftColumn> = <the join's table>.<rightColumn>`. */
export interface IKeyChoice {
  leftTable: string;
  leftColumn: string;
  rightColumn: string;
  /** The server's suggestion this pair comes from (null for a pair the user added). */
  suggestion: JoinSuggestion | null;
  selected: boolean;
}

/** How one table joins the tables before it. */
export interface IJoinChoice {
  table: string;
  how: JoinType;
  keys: IKeyChoice[];
}

/** One output column: kept or not, and its name in the result when it differs. */
export interface IColumnChoice {
  table: string;
  column: string;
  type: string;
  selected: boolean;
  alias: string;
  /** Another kept table has a column of this name. */
  clashes: boolean;
}

/** Every table a query can name: the sources' tables, then the workspace tables. */
export function catalogTables(catalog: DescribeCatalog | null): ITableInfo[] {
  if (!catalog) {
    return [];
  }
  const tables = [
    ...(catalog.sources ?? []).flatMap(source => source.tables ?? []),
    ...(catalog.tables ?? [])
  ];
  const seen = new Set<string>();
  const out: ITableInfo[] = [];
  for (const table of tables) {
    if (!seen.has(table.name)) {
      seen.add(table.name);
      out.push({
        name: table.name,
        columns: table.columns ?? [],
        rowCount: table.row_count ?? null
      });
    }
  }
  return out;
}

/**
 * The table a catalog row stands for: a table row's own name, or a source's first table
 * (a file source has exactly one, named like the source).
 */
export function tableOfCatalogRow(
  catalog: DescribeCatalog | null,
  kind: string | undefined,
  name: string | undefined
): string | null {
  if (!name) {
    return null;
  }
  if (kind === 'source') {
    const source = (catalog?.sources ?? []).find(s => s.name === name);
    return source?.tables?.[0]?.name ?? name;
  }
  return name;
}

/** Two spellings of one table name (`"Orders"`, `orders`) compare equal. */
export function sameTable(a: string, b: string): boolean {
  return bare(a) === bare(b);
}

/** The last part of a name, unquoted and lower case: `shop."Orders"` -> `orders`. */
export function bare(name: string): string {
  const parts = name.match(/("([^"]|"")*"|[^.]+)/g) ?? [name];
  const last = parts[parts.length - 1];
  const unquoted =
    last.startsWith('"') && last.endsWith('"')
      ? last.slice(1, -1).replace(/""/g, '"')
      : last;
  return unquoted.toLowerCase();
}

/**
 * The join choices for tables in this order: each table after the first joins the ones before
 * it, with the suggestions that pair it with an earlier table (best first) and the best
 * comparable one selected. Choices made before for the same table and the same tables before
 * it are kept.
 */
export function planJoins(
  tables: string[],
  suggestions: JoinSuggestion[],
  previous: IJoinChoice[] = []
): IJoinChoice[] {
  return tables.slice(1).map((table, i) => {
    const earlier = tables.slice(0, i + 1);
    const keys: IKeyChoice[] = suggestions
      .filter(
        s =>
          sameTable(s.right_table, table) &&
          earlier.some(t => sameTable(t, s.left_table))
      )
      .map(s => ({
        leftTable:
          earlier.find(t => sameTable(t, s.left_table)) ?? s.left_table,
        leftColumn: s.left_column,
        rightColumn: s.right_column,
        suggestion: s,
        selected: false
      }));
    const before = previous.find(p => sameTable(p.table, table));
    if (before) {
      // Keep the user's own pairs and selections where they still make sense.
      for (const key of before.keys) {
        if (!earlier.some(t => sameTable(t, key.leftTable))) {
          continue;
        }
        const same = keys.find(k => sameKey(k, key));
        if (same) {
          same.selected = key.selected;
        } else if (!key.suggestion) {
          keys.push({ ...key });
        }
      }
    }
    if (!keys.some(k => k.selected)) {
      const best = keys.find(k => k.suggestion?.compatible !== false);
      if (best) {
        best.selected = true;
      }
    }
    return { table, how: before?.how ?? 'inner', keys };
  });
}

function sameKey(a: IKeyChoice, b: IKeyChoice): boolean {
  return (
    sameTable(a.leftTable, b.leftTable) &&
    a.leftColumn === b.leftColumn &&
    a.rightColumn === b.rightColumn
  );
}

/**
 * Every column of the tables, in order, kept unless it was dropped before. A name that an
 * earlier table already uses gets the alias `<table>_<column>` (as the server would name it).
 */
export function planColumns(
  tables: ITableInfo[],
  previous: IColumnChoice[] = []
): IColumnChoice[] {
  const out: IColumnChoice[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      const before = previous.find(
        p => sameTable(p.table, table.name) && p.column === column.name
      );
      out.push({
        table: table.name,
        column: column.name,
        type: column.type,
        selected: before?.selected ?? true,
        alias: before?.alias ?? '',
        clashes: false
      });
    }
  }
  return resolveClashes(out);
}

/**
 * Mark the kept columns whose output names collide, and give each later one a default alias
 * (`<table>_<column>`) unless the user named it. Dropped columns never clash.
 */
export function resolveClashes(columns: IColumnChoice[]): IColumnChoice[] {
  const counts = new Map<string, number>();
  for (const c of columns) {
    if (c.selected) {
      const key = c.column.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const seen = new Set<string>();
  return columns.map(c => {
    const clashes = c.selected && (counts.get(c.column.toLowerCase()) ?? 0) > 1;
    let alias = c.alias;
    if (clashes) {
      const key = c.column.toLowerCase();
      if (seen.has(key) && !alias) {
        alias = `${bare(c.table)}_${c.column}`;
      }
      seen.add(key);
    }
    return { ...c, clashes, alias };
  });
}

/** The JoinSpec of the choices, or null while some join has no key. */
export function buildSpec(
  tables: string[],
  joins: IJoinChoice[],
  columns: IColumnChoice[]
): JoinSpec | null {
  if (tables.length < 2 || joins.length !== tables.length - 1) {
    return null;
  }
  const clauses = joins.map(join => ({
    table: join.table,
    how: join.how,
    on: join.keys
      .filter(k => k.selected)
      .map(k => ({
        left_table: k.leftTable,
        left_column: k.leftColumn,
        right_column: k.rightColumn
      }))
  }));
  if (clauses.some(c => c.on.length === 0)) {
    return null;
  }
  const kept = columns.filter(c => c.selected);
  return {
    base: tables[0],
    joins: clauses,
    // Every column kept under its own name: let the server name them (the default).
    columns:
      kept.length === columns.length && kept.every(c => !c.alias)
        ? []
        : kept.map(c =>
            c.alias
              ? { table: c.table, column: c.column, alias: c.alias }
              : { table: c.table, column: c.column }
          )
  };
}

/** Why the spec cannot be built yet, for the view (null when it can). */
export function missingStep(
  tables: string[],
  joins: IJoinChoice[],
  columns: IColumnChoice[]
): 'tables' | 'keys' | 'columns' | null {
  if (tables.length < 2) {
    return 'tables';
  }
  if (joins.some(j => !j.keys.some(k => k.selected))) {
    return 'keys';
  }
  if (columns.length > 0 && !columns.some(c => c.selected)) {
    return 'columns';
  }
  return null;
}

/** A match rate (0-1) as a whole percent: `97%`, or `—` when it was not measured. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) {
    return '—';
  }
  const percent = rate * 100;
  if (percent > 99 && percent < 100) {
    return '>99%';
  }
  if (percent > 0 && percent < 1) {
    return '<1%';
  }
  return `${Math.round(percent)}%`;
}

/** The SQL condition of a key pair, for display: `orders.customer_id = customers.customer_id`. */
export function keyCondition(key: IKeyChoice, table: string): string {
  return (
    key.suggestion?.condition ??
    `${key.leftTable}.${key.leftColumn} = ${table}.${key.rightColumn}`
  );
}
