/** The status line above a `%%sql` cell's grid: rows, time, what a statement did. */
import type { TranslationBundle } from '@jupyterlab/translation';

import { statusText } from '../sql-editor/status';

export interface ICellStatusInput {
  /** Null while the kernel is still counting (or the count was never known). */
  totalRows: number | null;
  /** Rows the output holds. */
  shownRows: number;
  elapsedMs: number | null;
  message: string | null;
  /** False when no kernel can finish the count (a saved notebook without its kernel). */
  counting: boolean;
}

export function cellStatusText(
  input: ICellStatusInput,
  trans: TranslationBundle
): string {
  if (input.totalRows === null && !input.counting) {
    const elapsed =
      input.elapsedMs !== null
        ? trans.__('%1 ms', Math.round(input.elapsedMs).toLocaleString('en-US'))
        : '';
    return [
      trans.__('%1+ rows', input.shownRows.toLocaleString('en-US')),
      elapsed
    ]
      .filter(Boolean)
      .join(' · ');
  }
  return statusText(
    {
      state: input.totalRows === null ? 'counting' : 'ready',
      totalRows: input.totalRows,
      shownRows: input.shownRows,
      elapsedMs: input.elapsedMs,
      message: input.message
    },
    trans
  );
}
