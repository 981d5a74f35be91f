/** The status line under the editor: rows, time, and whether the count is still running. */
import { TranslationBundle } from '@jupyterlab/translation';

import type { RunState } from './model';

export interface IStatusInput {
  state: RunState;
  totalRows: number | null;
  /** Rows already on the client (the first page) while the total is unknown. */
  shownRows: number;
  elapsedMs: number | null;
  /** What a statement with no rows did (e.g. CREATE VIEW). */
  message: string | null;
  /** Percent done of a running query, when the server could estimate it. */
  progress?: number | null;
}

export function statusText(
  input: IStatusInput,
  trans: TranslationBundle
): string {
  const elapsed =
    input.elapsedMs !== null
      ? trans.__('%1 ms', Math.round(input.elapsedMs).toLocaleString('en-US'))
      : '';
  switch (input.state) {
    case 'idle':
      return trans.__('Shift+Enter runs the query');
    case 'running':
      return input.progress !== undefined && input.progress !== null
        ? trans.__('Running… %1% (Escape stops)', Math.floor(input.progress))
        : trans.__('Running… (Escape stops)');
    case 'counting':
      return [
        trans.__('%1+ rows', input.shownRows.toLocaleString('en-US')),
        trans.__('counting…'),
        elapsed
      ]
        .filter(Boolean)
        .join(' · ');
    case 'cancelled':
      return trans.__('Cancelled');
    case 'error':
      return trans.__('Error');
    default: {
      const parts = [];
      if (input.message && !input.totalRows) {
        parts.push(input.message);
      } else if (input.totalRows !== null) {
        parts.push(
          trans._n(
            '%2 row',
            '%2 rows',
            input.totalRows,
            input.totalRows.toLocaleString('en-US')
          )
        );
      }
      parts.push(elapsed);
      return parts.filter(Boolean).join(' · ');
    }
  }
}
