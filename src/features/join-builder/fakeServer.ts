/**
 * A fake of the API for the join builder's jest specs: the demo star schema's catalog, the
 * suggestions and previews the server gives for it (shapes of the generated types).
 */
import { Signal } from '@lumino/signaling';

import type {
  DescribeCatalog,
  JoinPreview,
  JoinSuggestion,
  PreviewJoinRequest,
  WorkbenchClient
} from '../../api/client';
import { WorkbenchApiError } from '../../api/client';
import type { ICatalogSource } from './model';

export const CATALOG: DescribeCatalog = {
  sources: [
    {
      name: 'orders',
      kind: 'parquet',
      path: 'demo/orders.parquet',
      created_at: '2026-11-27T00:00:00Z',
      tables: [
        {
          name: 'orders',
          kind: 'source',
          row_count: 1200,
          columns: [
            { name: 'order_id', type: 'BIGINT' },
            { name: 'customer_id', type: 'INTEGER' },
            { name: 'status', type: 'VARCHAR' }
          ]
        }
      ]
    },
    {
      name: 'customers',
      kind: 'csv',
      path: 'demo/customers.csv',
      created_at: '2026-11-27T00:00:00Z',
      tables: [
        {
          name: 'customers',
          kind: 'source',
          row_count: 200,
          columns: [
            { name: 'customer_id', type: 'BIGINT' },
            { name: 'city', type: 'VARCHAR' },
            { name: 'email', type: 'VARCHAR' }
          ]
        }
      ]
    }
  ],
  tables: [
    {
      name: 'order_items',
      kind: 'workspace_table',
      version: 1,
      row_count: 3600,
      columns: [
        { name: 'order_id', type: 'BIGINT' },
        { name: 'product_id', type: 'INTEGER' }
      ]
    }
  ]
} as DescribeCatalog;

export const CUSTOMER_KEY: JoinSuggestion = {
  left_table: 'orders',
  left_column: 'customer_id',
  left_type: 'INTEGER',
  right_table: 'customers',
  right_column: 'customer_id',
  right_type: 'BIGINT',
  reason: 'same name',
  match_rate: 1,
  left_unique: false,
  right_unique: true,
  cardinality: 'many-to-one',
  compatible: true,
  score: 1,
  condition: 'orders.customer_id = customers.customer_id'
};

export const EMAIL_KEY: JoinSuggestion = {
  ...CUSTOMER_KEY,
  right_column: 'email',
  right_type: 'VARCHAR',
  reason: 'same name, spelled differently',
  match_rate: null,
  left_unique: null,
  right_unique: null,
  cardinality: null,
  compatible: false,
  score: 0.1,
  condition: 'orders.customer_id = CAST(customers.email AS INTEGER)'
};

export const ITEMS_KEY: JoinSuggestion = {
  left_table: 'orders',
  left_column: 'order_id',
  left_type: 'BIGINT',
  right_table: 'order_items',
  right_column: 'order_id',
  right_type: 'BIGINT',
  reason: 'same name',
  match_rate: 0.42,
  left_unique: false,
  right_unique: false,
  cardinality: 'many-to-many',
  compatible: true,
  score: 0.75,
  condition: 'orders.order_id = order_items.order_id'
};

/** The SQL the fake server writes for a spec (enough to tell specs apart). */
export function fakeSql(request: PreviewJoinRequest): string {
  const spec = request.spec;
  const on = spec.joins
    .map(
      j =>
        `${(j.how ?? 'inner').toUpperCase()} JOIN ${j.table} ON ${j.on
          .map(
            k =>
              `${k.left_table}.${k.left_column} = ${j.table}.${k.right_column}`
          )
          .join(' AND ')}`
    )
    .join('\n');
  const columns = spec.columns?.length
    ? spec.columns
        .map(c => `${c.table}.${c.column}${c.alias ? ` AS ${c.alias}` : ''}`)
        .join(', ')
    : '*';
  return `SELECT ${columns}\nFROM ${spec.base}\n${on}`;
}

/** A client whose join methods answer like the server does on the demo schema. */
export function fakeClient(
  suggestions: JoinSuggestion[] = [CUSTOMER_KEY, EMAIL_KEY]
) {
  const client = {
    getCatalog: jest.fn(async () => CATALOG),
    suggestJoins: jest.fn(async (request: { tables: string[] }) => ({
      suggestions: suggestions.filter(
        s =>
          request.tables.includes(s.left_table) &&
          request.tables.includes(s.right_table)
      ),
      elapsed_ms: 3
    })),
    previewJoin: jest.fn(
      async (request: PreviewJoinRequest): Promise<JoinPreview> => {
        for (const join of request.spec.joins) {
          for (const k of join.on) {
            if (k.right_column === 'email') {
              throw new WorkbenchApiError(
                'Cannot join orders.customer_id (INTEGER) with customers.email (VARCHAR): the types do not compare. Cast one side, e.g. orders."customer_id" = CAST(customers."email" AS INTEGER).',
                422,
                'incompatible_keys',
                {
                  suggestion:
                    'orders."customer_id" = CAST(customers."email" AS INTEGER)'
                }
              );
            }
          }
        }
        const manyToMany = request.spec.joins.some(
          j => j.table === 'order_items'
        );
        const limit = request.limit ?? 20;
        return {
          sql: fakeSql(request),
          columns: [
            { name: 'order_id', type: 'BIGINT' },
            { name: 'city', type: 'VARCHAR' }
          ],
          rows: [
            [100001, 'Lagos'],
            [100002, null]
          ].slice(0, limit),
          estimated_rows: 2466,
          exact_rows:
            request.exact_count_rows === 0 ? null : manyToMany ? 94993 : 1200,
          warnings: manyToMany
            ? [
                'Many-to-many join: key values repeat in both orders and order_items, so their rows multiply (about 94,993 rows from 1,200 in orders).'
              ]
            : [],
          elapsed_ms: 5
        };
      }
    ),
    transformSql: jest.fn(async () => ({
      sql: 'SELECT * REPLACE (\n    coalesce("status", \'none\') AS "status"\n)\nFROM orders'
    }))
  };
  return client;
}

/** A catalog source over a fake client, loaded already. */
export function fakeCatalog(
  client = fakeClient()
): ICatalogSource & { client: WorkbenchClient } {
  const changed = new Signal<object, void>({});
  return {
    client: client as unknown as WorkbenchClient,
    catalog: CATALOG,
    changed,
    refresh: async () => undefined
  };
}

/** Let pending promises (the fake client's answers) settle. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

/** Poll until `probe` answers something (React renders after the signal, asynchronously). */
export async function waitFor<T>(
  probe: () => T | null | undefined
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}
