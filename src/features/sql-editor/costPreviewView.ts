/** The cost preview line under the status: the estimated rows, or a warning with rewrites. */
import { TranslationBundle } from '@jupyterlab/translation';

import type { QueryEstimate } from '../../api/client';

/** Which rewrite the user picked. */
export type CostRewrite = 'limit' | 'sample';

/**
 * Fill `node` for an estimate: nothing (hidden) without one, "≈ N rows" when it is small, the
 * server's warning with "Add LIMIT" and "Sample" buttons when it is large. `data-state` is
 * none/ok/large and `data-estimated-rows` the estimate, for tests and styles.
 */
export function renderCostPreview(
  node: HTMLElement,
  estimate: QueryEstimate | null,
  trans: TranslationBundle,
  onRewrite: (rewrite: CostRewrite) => void
): void {
  node.textContent = '';
  const rows = estimate?.estimated_rows ?? null;
  if (!estimate || rows === null) {
    node.dataset.state = 'none';
    delete node.dataset.estimatedRows;
    node.hidden = true;
    return;
  }
  node.hidden = false;
  node.dataset.estimatedRows = String(rows);
  const text = document.createElement('span');
  text.className = 'mlwb-CostPreview-text';
  node.appendChild(text);
  if (!estimate.large) {
    node.dataset.state = 'ok';
    text.textContent = trans._n(
      '≈ %2 row estimated',
      '≈ %2 rows estimated',
      rows,
      rows.toLocaleString('en-US')
    );
    return;
  }
  node.dataset.state = 'large';
  node.setAttribute('role', 'status');
  text.textContent =
    estimate.warning ??
    trans.__(
      'This query may return about %1 rows.',
      rows.toLocaleString('en-US')
    );
  const buttons: [CostRewrite, string | null | undefined, string, string][] = [
    [
      'limit',
      estimate.limit_sql,
      trans.__('Add LIMIT'),
      trans.__('Rewrite the query with a LIMIT')
    ],
    [
      'sample',
      estimate.sample_sql,
      trans.__('Sample'),
      trans.__('Rewrite the query to run on a sample')
    ]
  ];
  for (const [rewrite, sql, label, title] of buttons) {
    if (!sql) {
      continue;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'mlwb-CostPreview-button jp-Button jp-mod-styled';
    button.dataset.testid = `mlwb-cost-${rewrite}`;
    button.textContent = label;
    button.title = `${title}:\n${sql}`;
    button.addEventListener('click', () => onRewrite(rewrite));
    node.appendChild(button);
  }
}
