/**
 * The catalog as a tree: Sources (each with its tables) and Workspace tables, each table with
 * its columns. Pure data, built from the server's DescribeCatalog.
 */
import type {
  DescribeCatalog,
  DescribeSource,
  DescribeTable
} from '../../api/client';

export type CatalogNodeKind = 'group' | 'source' | 'table' | 'column';

export interface ICatalogNode {
  /** Unique in the tree; keeps expansion state across refreshes. */
  id: string;
  kind: CatalogNodeKind;
  /** The label: a group title, a source name, a table's SQL name or a column name. */
  name: string;
  /** The DuckDB type of a column. */
  type?: string;
  /** Rows of a table, when known. */
  rowCount?: number | null;
  /** Why a table or source cannot be read right now. */
  error?: string | null;
  /** What the remove action deletes, when the node can be removed. */
  remove?: { kind: 'source' | 'table'; name: string };
  /** For a table: the name to write in SQL. */
  sqlName?: string;
  /** Extra line for the tooltip (a source's path, a table's version). */
  detail?: string;
  children: ICatalogNode[];
}

/** Titles of the two groups, translated by the caller. */
export interface IGroupTitles {
  sources: string;
  tables: string;
}

/** Build the tree shown in the sidebar. */
export function buildCatalogTree(
  catalog: DescribeCatalog,
  titles: IGroupTitles = { sources: 'Sources', tables: 'Workspace tables' }
): ICatalogNode[] {
  const sources = (catalog.sources ?? []).map(sourceNode);
  const tables = (catalog.tables ?? []).map(table =>
    tableNode(table, 'workspace', true)
  );
  return [
    {
      id: 'group:sources',
      kind: 'group',
      name: titles.sources,
      children: sources
    },
    { id: 'group:tables', kind: 'group', name: titles.tables, children: tables }
  ];
}

function sourceNode(source: DescribeSource): ICatalogNode {
  const id = `source:${source.name}`;
  const tables = source.tables ?? [];
  return {
    id,
    kind: 'source',
    name: source.name,
    detail: `${source.kind}: ${source.path}`,
    remove: { kind: 'source', name: source.name },
    error: tables.find(t => t.error)?.error ?? null,
    children: tables.map(table => tableNode(table, id, false))
  };
}

function tableNode(
  table: DescribeTable,
  parentId: string,
  removable: boolean
): ICatalogNode {
  const id = `${parentId}/table:${table.name}`;
  const version = table.version ?? null;
  return {
    id,
    kind: 'table',
    name: table.name,
    sqlName: table.name,
    rowCount: table.row_count ?? null,
    error: table.error ?? null,
    detail: version !== null ? `v${version}` : undefined,
    remove: removable ? { kind: 'table', name: table.name } : undefined,
    children: (table.columns ?? []).map(column => ({
      id: `${id}/column:${column.name}`,
      kind: 'column' as const,
      name: column.name,
      type: column.type,
      children: []
    }))
  };
}

/** Every node of the tree, depth first. */
export function walk(nodes: ICatalogNode[]): ICatalogNode[] {
  return nodes.flatMap(node => [node, ...walk(node.children)]);
}

/** `SELECT * FROM <name> LIMIT 1000`, quoting the name unless the server already did. */
export function previewSql(sqlName: string, limit = 1000): string {
  return `SELECT * FROM ${quoteIdentifier(sqlName)} LIMIT ${limit}`;
}

/**
 * Quote a name for SQL. Names the server already quoted (they contain a double quote, like
 * `"db"."main"."t"`) are kept as they are.
 */
export function quoteIdentifier(name: string): string {
  if (name.includes('"')) {
    return name;
  }
  return `"${name}"`;
}

/** "1,234,567 rows" style count, or '' when unknown. */
export function formatRowCount(count: number | null | undefined): string {
  if (count === null || count === undefined) {
    return '';
  }
  return count.toLocaleString('en-US');
}
