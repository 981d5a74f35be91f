/**
 * The transform form's values and the TransformSqlRequest they make. Pure: the dialog holds a
 * `ITransformForm`, `transformRequest()` checks it and builds what POST /transforms/sql reads.
 */
import type { Cell, ColumnInfo, TransformSqlRequest } from '../../api/client';
import { isNumericType } from '../results/cells';

export type TransformKind =
  'filter' | 'derive' | 'cast' | 'drop_duplicates' | 'fill_nulls';

export const TRANSFORM_KINDS: readonly TransformKind[] = [
  'filter',
  'derive',
  'cast',
  'drop_duplicates',
  'fill_nulls'
];

export type FilterOp = NonNullable<
  Extract<TransformSqlRequest['transform'], { kind: 'filter' }>['op']
>;

export const FILTER_OPS: readonly FilterOp[] = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'not in',
  'like',
  'between',
  'is null',
  'is not null'
];

export type FillStrategy = 'value' | 'mean' | 'median' | 'mode';

/** DuckDB types offered for a cast (any other type can be typed in). */
export const CAST_TYPES = [
  'VARCHAR',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'DECIMAL(18,2)',
  'BOOLEAN',
  'DATE',
  'TIMESTAMP'
];

/** Everything the form can hold; each kind reads its own fields. */
export interface ITransformForm {
  table: string;
  kind: TransformKind;
  /** filter, cast: the column; drop_duplicates: the order-by column ('' for none). */
  column: string;
  op: FilterOp;
  /** filter: the value (comma-separated for in/not in); fill_nulls: the fill value. */
  value: string;
  /** filter (between): the upper bound. */
  value2: string;
  /** filter: a raw SQL condition (used instead of column/op/value when given); derive. */
  expression: string;
  /** derive: the new column's name. */
  name: string;
  replace: boolean;
  toType: string;
  tryCast: boolean;
  /** drop_duplicates (key columns), fill_nulls (columns to fill). */
  columns: string[];
  descending: boolean;
  strategy: FillStrategy;
}

/** A fresh form on a table. */
export function emptyForm(
  table: string,
  kind: TransformKind = 'filter'
): ITransformForm {
  return {
    table,
    kind,
    column: '',
    op: '=',
    value: '',
    value2: '',
    expression: '',
    name: '',
    replace: false,
    toType: 'VARCHAR',
    tryCast: false,
    columns: [],
    descending: false,
    strategy: 'value'
  };
}

/** What the form still lacks, in words for the user (null when the request can be made). */
export type FormProblem = string | null;

/**
 * A text typed in the form as the value it stands for, given the column's type: a number for
 * number columns, true/false for booleans, text otherwise (the server writes the literal).
 */
export function parseValue(text: string, type: string | undefined): Cell {
  const trimmed = text.trim();
  if (type && isNumericType(type) && trimmed !== '') {
    const n = Number(trimmed);
    if (Number.isFinite(n)) {
      return n;
    }
  }
  if (type?.toUpperCase() === 'BOOLEAN') {
    if (/^true$/i.test(trimmed)) {
      return true;
    }
    if (/^false$/i.test(trimmed)) {
      return false;
    }
  }
  return text;
}

/** `a, b, c` as a list of values (empty items dropped). */
export function parseList(text: string, type: string | undefined): Cell[] {
  return text
    .split(',')
    .map(part => part.trim())
    .filter(part => part !== '')
    .map(part => parseValue(part, type));
}

/**
 * The request of a form, or the reason there is none yet.
 *
 * @param columns - the table's columns (their types decide how values are read).
 */
export function transformRequest(
  form: ITransformForm,
  columns: ColumnInfo[]
): { request: TransformSqlRequest } | { problem: string } {
  const typeOf = (name: string) => columns.find(c => c.name === name)?.type;
  if (!form.table) {
    return { problem: 'Pick a table.' };
  }
  const table = form.table;
  switch (form.kind) {
    case 'filter': {
      if (form.expression.trim()) {
        return {
          request: {
            table,
            transform: { kind: 'filter', expression: form.expression.trim() }
          }
        };
      }
      if (!form.column) {
        return { problem: 'Pick a column (or write a condition).' };
      }
      const type = typeOf(form.column);
      let value: Cell | Cell[] = null;
      if (form.op === 'in' || form.op === 'not in') {
        value = parseList(form.value, type);
        if (value.length === 0) {
          return { problem: 'Give one or more values, separated by commas.' };
        }
      } else if (form.op === 'between') {
        if (form.value.trim() === '' || form.value2.trim() === '') {
          return { problem: 'Give both bounds.' };
        }
        value = [parseValue(form.value, type), parseValue(form.value2, type)];
      } else if (form.op !== 'is null' && form.op !== 'is not null') {
        if (form.value === '') {
          return { problem: 'Give a value.' };
        }
        value = parseValue(form.value, type);
      }
      return {
        request: {
          table,
          transform: { kind: 'filter', column: form.column, op: form.op, value }
        }
      };
    }
    case 'derive':
      if (!form.name.trim() || !form.expression.trim()) {
        return { problem: 'Give the new column a name and an expression.' };
      }
      return {
        request: {
          table,
          transform: {
            kind: 'derive',
            name: form.name.trim(),
            expression: form.expression.trim(),
            replace: form.replace
          }
        }
      };
    case 'cast':
      if (!form.column || !form.toType.trim()) {
        return { problem: 'Pick a column and a type.' };
      }
      return {
        request: {
          table,
          transform: {
            kind: 'cast',
            column: form.column,
            to_type: form.toType.trim(),
            try_cast: form.tryCast
          }
        }
      };
    case 'drop_duplicates':
      return {
        request: {
          table,
          transform: {
            kind: 'drop_duplicates',
            columns: form.columns,
            ...(form.columns.length && form.column
              ? { order_by: form.column, descending: form.descending }
              : {})
          }
        }
      };
    case 'fill_nulls': {
      if (form.columns.length === 0) {
        return { problem: 'Pick the columns to fill.' };
      }
      const byValue = form.strategy === 'value';
      if (byValue && form.value === '') {
        return { problem: 'Give the value to fill nulls with.' };
      }
      return {
        request: {
          table,
          transform: {
            kind: 'fill_nulls',
            columns: form.columns,
            strategy: form.strategy,
            // One value for every column: read as the first column's type.
            ...(byValue
              ? { value: parseValue(form.value, typeOf(form.columns[0])) }
              : {})
          }
        }
      };
    }
  }
}
