/** How result cells and column types are shown. */
import type { Cell } from '../../api/client';

/** Shown in a cell whose page is still loading. */
export const LOADING_TEXT = '…';
/** Shown in a cell whose page failed to load. */
export const FAILED_TEXT = '⚠';
/** Shown for SQL NULL. */
export const NULL_TEXT = 'NULL';

/**
 * A cell's text, exactly as the server sent it. The server sends DECIMAL, HUGEINT, LIST,
 * STRUCT... as DuckDB's own text, so only a defensive JSON fallback is needed for anything
 * else: never `[object Object]`.
 */
export function formatCell(value: Cell | unknown): string {
  if (value === null || value === undefined) {
    return NULL_TEXT;
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      try {
        return JSON.stringify(value);
      } catch {
        return String(value);
      }
  }
}

const NUMERIC_TYPE =
  /^(U?(TINY|SMALL|BIG|HUGE)INT|UINTEGER|INTEGER|INT[1248]?|SIGNED|LONG|SHORT|FLOAT[48]?|DOUBLE|REAL|DECIMAL|NUMERIC|VARINT|BIGNUM)(\s*\(.*\))?$/i;

/** True for DuckDB's number types (right-aligned in the grid). INTERVAL is not one. */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.trim());
}
