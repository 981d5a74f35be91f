/**
 * The join builder's preview: the server's error (a 422 names the CAST to use), the row count
 * (exact, or DuckDB's estimate), the warnings (rows multiplied) and the first rows.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { JoinPreview } from '../../api/client';
import { formatCell, isNumericType } from '../results/cells';
import { JoinBuilderModel } from './model';
import { Section } from './Section';

export function PreviewSection(props: {
  model: JoinBuilderModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { model, trans } = props;
  const preview = model.preview;
  const error = model.error;
  if (!preview && !error) {
    return null;
  }
  return (
    <Section title={trans.__('Preview')}>
      {error ? (
        <div
          className="mlwb-JoinBuilder-error"
          data-testid="mlwb-join-error"
          data-status={error.status}
          role="alert"
        >
          <div>{error.message}</div>
          {typeof error.detail.suggestion === 'string' ? (
            <div>
              {trans.__('Try:')}{' '}
              <code className="mlwb-JoinBuilder-condition">
                {error.detail.suggestion}
              </code>
            </div>
          ) : null}
        </div>
      ) : null}
      {preview ? (
        <>
          <RowCount preview={preview} trans={trans} />
          {preview.warnings?.map(w => (
            <div
              key={w}
              className="mlwb-JoinBuilder-warning"
              data-testid="mlwb-join-warning"
              role="status"
            >
              ⚠ {w}
            </div>
          ))}
          {model.previewed ? (
            <PreviewTable preview={preview} />
          ) : (
            <div className="mlwb-JoinBuilder-muted">
              {trans.__(
                'Press Preview to see the first rows and the exact count.'
              )}
            </div>
          )}
        </>
      ) : null}
    </Section>
  );
}

/** "1,200 rows" when counted, "≈ 2,466 rows (estimated)" otherwise. */
export function rowCountText(
  preview: Pick<JoinPreview, 'estimated_rows' | 'exact_rows'>,
  trans: TranslationBundle
): string {
  const exact = preview.exact_rows;
  if (exact !== null && exact !== undefined) {
    return trans._n('%2 row', '%2 rows', exact, exact.toLocaleString('en-US'));
  }
  const estimate = preview.estimated_rows;
  if (estimate !== null && estimate !== undefined) {
    return trans.__('≈ %1 rows (estimated)', estimate.toLocaleString('en-US'));
  }
  return trans.__('row count unknown');
}

function RowCount(props: {
  preview: JoinPreview;
  trans: TranslationBundle;
}): JSX.Element {
  const { preview, trans } = props;
  const estimate = preview.estimated_rows;
  return (
    <div
      className="mlwb-JoinBuilder-rowCount"
      data-testid="mlwb-join-row-count"
      data-exact-rows={preview.exact_rows ?? undefined}
      data-estimated-rows={estimate ?? undefined}
      title={
        estimate !== null && estimate !== undefined
          ? trans.__("DuckDB's estimate: %1", estimate.toLocaleString('en-US'))
          : undefined
      }
    >
      {rowCountText(preview, trans)}
    </div>
  );
}

function PreviewTable({ preview }: { preview: JoinPreview }): JSX.Element {
  return (
    <div className="mlwb-JoinBuilder-tableScroll">
      <table
        className="mlwb-JoinBuilder-previewTable"
        data-testid="mlwb-join-preview-table"
      >
        <thead>
          <tr>
            {preview.columns.map(c => (
              <th key={c.name} title={c.type}>
                {c.name}
                <span className="mlwb-JoinBuilder-types">{c.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => (
                <td
                  key={c}
                  className={
                    (cell === null ? 'mlwb-mod-null ' : '') +
                    (isNumericType(preview.columns[c]?.type ?? '')
                      ? 'mlwb-mod-numeric'
                      : '')
                  }
                >
                  {formatCell(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
