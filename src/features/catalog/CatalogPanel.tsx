/**
 * The Workbench sidebar: a toolbar, the catalog tree, file imports, saved queries and the
 * query history. A view: props in, callbacks out. Files dropped on it are imported.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  caretDownIcon,
  caretRightIcon,
  closeIcon,
  fileUploadIcon,
  folderIcon,
  ReactWidget,
  refreshIcon,
  tableRowsIcon,
  ToolbarButtonComponent,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  HistorySection,
  IHistoryProps,
  IImportListProps,
  ImportList,
  ISavedQueriesProps,
  SavedQueriesSection
} from '../history/HistoryPanel';
import { CatalogModel } from './model';
import { SidebarSections } from './sections';
import { formatRowCount, ICatalogNode } from './tree';

export interface ICatalogPanelProps {
  model: CatalogModel;
  trans: TranslationBundle;
  onOpenTable: (sqlName: string) => void;
  onNewEditor: () => void;
  onRemove: (target: { kind: 'source' | 'table'; name: string }) => void;
  /** Refresh everything the sidebar shows (default: the catalog). */
  onRefresh?: () => void;
  /** The saved queries, history and imports sections (none: the catalog only). */
  sections?: ISidebarSections;
}

/** What the sidebar shows under the catalog, and the import actions. */
export interface ISidebarSections {
  saved: ISavedQueriesProps;
  history: IHistoryProps;
  imports: IImportListProps;
  /** Opens the file picker. */
  onImport: () => void;
  /** Imports files dropped on the sidebar. */
  onDropFiles: (files: FileList) => void;
  /** Sections other features add (shown after the imports). */
  extra?: SidebarSections;
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
        {props.sections ? (
          <ToolbarButtonComponent
            icon={fileUploadIcon}
            tooltip={trans.__(
              'Import a CSV, Parquet, JSON or Excel file (or drop files here)'
            )}
            onClick={props.sections.onImport}
            dataset={{ testid: 'mlwb-import' }}
          />
        ) : null}
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip={trans.__('Refresh')}
          enabled={!model.refreshing}
          onClick={props.onRefresh ?? (() => void model.refresh())}
          dataset={{ testid: 'mlwb-catalog-refresh' }}
        />
      </div>
      <div className="mlwb-Catalog-body">
        <CatalogBody {...props} />
        {props.sections && model.state === 'ready' ? (
          <Sections sections={props.sections} />
        ) : null}
      </div>
      {props.sections ? (
        <div className="mlwb-DropZone" data-testid="mlwb-drop-zone">
          <fileUploadIcon.react tag="span" className="mlwb-DropZone-icon" />
          <span>
            {trans.__('Drop CSV, Parquet, JSON or Excel files to import them')}
          </span>
        </div>
      ) : null}
    </div>
  );
}

/** Imports, saved queries and history, each re-rendered on its own model's signal. */
function Sections({ sections }: { sections: ISidebarSections }): JSX.Element {
  return (
    <>
      <UseSignal signal={sections.imports.model.changed}>
        {() => <ImportList {...sections.imports} />}
      </UseSignal>
      {sections.extra ? (
        <UseSignal signal={sections.extra.changed}>
          {() =>
            sections.extra?.sections.map(section => (
              <React.Fragment key={section.id}>
                {section.render()}
              </React.Fragment>
            ))
          }
        </UseSignal>
      ) : null}
      <UseSignal signal={sections.saved.model.changed}>
        {() => <SavedQueriesSection {...sections.saved} />}
      </UseSignal>
      <UseSignal signal={sections.history.model.changed}>
        {() => <HistorySection {...sections.history} />}
      </UseSignal>
    </>
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

/** Whether a drag carries files from the operating system. */
export function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * The sidebar widget: re-renders the panel whenever the model changes; files dragged from
 * the operating system over it show the drop zone, and dropped ones go to `onDropFiles`.
 */
export class CatalogSidebar extends ReactWidget {
  constructor(private readonly _props: ICatalogPanelProps) {
    super();
    this.addClass('mlwb-CatalogSidebar');
    this.node.dataset.testid = 'mlwb-sidebar';
    if (_props.sections) {
      for (const type of ['dragenter', 'dragover', 'dragleave', 'drop']) {
        this.node.addEventListener(type, this);
      }
    }
  }

  /** Native drag events (Lumino's own drags from the file browser are not native). */
  handleEvent(event: Event): void {
    const drag = event as DragEvent;
    if (!carriesFiles(drag)) {
      return;
    }
    switch (event.type) {
      case 'dragenter':
        drag.preventDefault();
        this.addClass('mlwb-mod-dropTarget');
        break;
      case 'dragover':
        drag.preventDefault();
        if (drag.dataTransfer) {
          drag.dataTransfer.dropEffect = 'copy';
        }
        this.addClass('mlwb-mod-dropTarget');
        break;
      case 'dragleave': {
        // Leaving for a child of the sidebar is not leaving the sidebar.
        const to = drag.relatedTarget as Node | null;
        if (!to || !this.node.contains(to)) {
          this.removeClass('mlwb-mod-dropTarget');
        }
        break;
      }
      case 'drop': {
        drag.preventDefault();
        drag.stopPropagation();
        this.removeClass('mlwb-mod-dropTarget');
        const files = drag.dataTransfer?.files;
        if (files && files.length > 0) {
          this._props.sections?.onDropFiles(files);
        }
        break;
      }
    }
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._props.model.changed}>
        {() => <CatalogPanel {...this._props} />}
      </UseSignal>
    );
  }
}
