/**
 * The Workbench sidebar: a toolbar and the catalog tree. A view: props in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  caretDownIcon,
  caretRightIcon,
  closeIcon,
  folderIcon,
  ReactWidget,
  refreshIcon,
  tableRowsIcon,
  ToolbarButtonComponent,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { CatalogModel } from './model';
import { formatRowCount, ICatalogNode } from './tree';

export interface ICatalogPanelProps {
  model: CatalogModel;
  trans: TranslationBundle;
  onOpenTable: (sqlName: string) => void;
  onNewEditor: () => void;
  onRemove: (target: { kind: 'source' | 'table'; name: string }) => void;
}

/** The command that fixes a missing server extension. */
export const ENABLE_COMMAND = 'jupyter server extension enable mlworkbench';

export function CatalogPanel(props: ICatalogPanelProps): JSX.Element {
  const { model, trans } = props;
  return (
    <div className="mlwb-Catalog">
      <div className="mlwb-Catalog-toolbar jp-Toolbar">
        <span className="mlwb-Catalog-title">{trans.__('Workbench')}</span>
        <ToolbarButtonComponent
          icon={addIcon}
          tooltip={trans.__('New SQL editor')}
          label={trans.__('SQL')}
          onClick={props.onNewEditor}
          dataset={{ testid: 'mlwb-catalog-new-editor' }}
        />
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip={trans.__('Refresh')}
          enabled={!model.refreshing}
          onClick={() => void model.refresh()}
          dataset={{ testid: 'mlwb-catalog-refresh' }}
        />
      </div>
      <CatalogBody {...props} />
    </div>
  );
}

function CatalogBody(props: ICatalogPanelProps): JSX.Element {
  const { model, trans } = props;
  switch (model.state) {
    case 'loading':
      return <div className="mlwb-Catalog-message">{trans.__('Loading…')}</div>;
    case 'missing':
      return (
        <div
          className="mlwb-Catalog-message mlwb-Catalog-missing"
          data-testid="mlwb-extension-missing"
        >
          <p>
            <strong>
              {trans.__('The mlworkbench server extension is not running.')}
            </strong>
          </p>
          <p>
            {trans.__(
              'Enable it in a terminal, then restart the Jupyter server:'
            )}
          </p>
          <pre className="mlwb-Catalog-fix">{ENABLE_COMMAND}</pre>
        </div>
      );
    case 'error':
      return (
        <div
          className="mlwb-Catalog-message mlwb-Catalog-error"
          data-testid="mlwb-catalog-error"
        >
          <p>{trans.__('Could not load the catalog:')}</p>
          <p>{model.error?.message}</p>
        </div>
      );
    default:
      return (
        <ul className="mlwb-CatalogTree" role="tree">
          {model.tree.map(node => (
            <CatalogNode key={node.id} node={node} depth={0} {...props} />
          ))}
        </ul>
      );
  }
}

function CatalogNode(
  props: ICatalogPanelProps & { node: ICatalogNode; depth: number }
): JSX.Element {
  const { node, depth, model, trans } = props;
  const expandable = node.children.length > 0;
  const expanded = expandable && model.isExpanded(node.id);
  const Caret = expanded ? caretDownIcon : caretRightIcon;
  const open = () => {
    if (node.kind === 'table' && node.sqlName) {
      props.onOpenTable(node.sqlName);
    } else if (expandable) {
      model.toggle(node.id);
    }
  };
  const title = [node.name, node.type, node.detail, node.error]
    .filter(Boolean)
    .join('\n');
  return (
    <li role="treeitem" aria-expanded={expandable ? expanded : undefined}>
      <div
        className={`mlwb-CatalogTree-item mlwb-CatalogTree-${node.kind}${
          node.error ? ' mlwb-mod-error' : ''
        }`}
        data-name={node.name}
        data-kind={node.kind}
        style={{ paddingLeft: `${4 + depth * 14}px` }}
        title={title}
      >
        <span
          className="mlwb-CatalogTree-toggle"
          onClick={() => expandable && model.toggle(node.id)}
        >
          {expandable ? <Caret.react tag="span" /> : null}
        </span>
        <NodeIcon node={node} />
        <span className="mlwb-CatalogTree-label" onClick={open}>
          {node.name}
        </span>
        {node.type ? (
          <span className="mlwb-CatalogTree-type">{node.type}</span>
        ) : null}
        {node.kind === 'table' &&
        node.rowCount !== null &&
        node.rowCount !== undefined ? (
          <span
            className="mlwb-CatalogTree-rowCount"
            title={trans._n(
              '%2 row',
              '%2 rows',
              node.rowCount,
              formatRowCount(node.rowCount)
            )}
          >
            {formatRowCount(node.rowCount)}
          </span>
        ) : null}
        {node.remove ? (
          <button
            className="mlwb-CatalogTree-remove jp-Button jp-mod-minimal"
            data-testid="mlwb-catalog-remove"
            title={
              node.remove.kind === 'source'
                ? trans.__('Remove source %1', node.name)
                : trans.__('Remove table %1', node.name)
            }
            onClick={() => node.remove && props.onRemove(node.remove)}
          >
            <closeIcon.react tag="span" />
          </button>
        ) : null}
      </div>
      {node.kind === 'group' && !expandable ? (
        <div className="mlwb-CatalogTree-empty">
          {node.id === 'group:sources'
            ? trans.__(
                'No sources yet. Right-click a CSV, Parquet, JSON or DuckDB file in the file browser and choose "Open in Workbench".'
              )
            : trans.__(
                'No workspace tables yet. Run a query and use "Save as table".'
              )}
        </div>
      ) : null}
      {expanded ? (
        <ul role="group">
          {node.children.map(child => (
            <CatalogNode
              key={child.id}
              {...props}
              node={child}
              depth={depth + 1}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function NodeIcon({ node }: { node: ICatalogNode }): JSX.Element | null {
  switch (node.kind) {
    case 'source':
      return <folderIcon.react tag="span" className="mlwb-CatalogTree-icon" />;
    case 'table':
      return (
        <tableRowsIcon.react tag="span" className="mlwb-CatalogTree-icon" />
      );
    default:
      return null;
  }
}

/** The sidebar widget: re-renders the panel whenever the model changes. */
export class CatalogSidebar extends ReactWidget {
  constructor(private readonly _props: ICatalogPanelProps) {
    super();
    this.addClass('mlwb-CatalogSidebar');
    this.node.dataset.testid = 'mlwb-sidebar';
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._props.model.changed}>
        {() => <CatalogPanel {...this._props} />}
      </UseSignal>
    );
  }
}
