/**
 * A SQL editor in the main area: CodeMirror 6 (through JupyterLab's editor services) on top,
 * the status line, the error box and the results grid below.
 */
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { CodeEditor, IEditorServices } from '@jupyterlab/codeeditor';
import { CodeMirrorEditor } from '@jupyterlab/codemirror';
import { TranslationBundle } from '@jupyterlab/translation';
import { Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { Message, MessageLoop } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel, SplitPanel, Widget } from '@lumino/widgets';

import { ExportFormat, WorkbenchApiError } from '../../api/client';
import { CatalogModel } from '../catalog/model';
import { ResultsGrid } from '../results/ResultsGrid';
import { GridStyle } from '../results/style';
import { CostPreview } from './costPreview';
import { CostRewrite, renderCostPreview } from './costPreviewView';
import { saveDownload } from './download';
import { IErrorPosition, markError } from './errorMarks';
import { errorMarks } from './errorMarks';
import { describeDetail } from './errorDetail';
import { RunState, SqlEditorModel } from './model';
import { askTableName, confirmNewVersion } from './saveDialog';
import { SqlLanguageSupport } from './sqlLanguage';
import { statusText } from './status';
import { addSqlEditorToolbar } from './toolbar';

export interface ISqlEditorOptions {
  editorServices: IEditorServices;
  catalog: CatalogModel;
  gridStyle: GridStyle;
  trans: TranslationBundle;
  /** Initial text of the editor. */
  sql?: string;
  pageSize?: number;
  fontSize?: number | null;
  /** Estimate the rows of a SELECT while the user pauses typing (default: on). */
  costPreview?: boolean;
  /** Warn above this many estimated rows (null: the server's default). */
  costPreviewThresholdRows?: number | null;
}

/** Settings an open editor follows. */
export interface ISqlEditorSettings {
  pageSize?: number;
  fontSize?: number | null;
  costPreview?: boolean;
  costPreviewThresholdRows?: number | null;
}

/** The editor, status line, error box and grid; owns the actions the toolbar and commands call. */
export class SqlEditorContent extends SplitPanel {
  constructor(private readonly _options: ISqlEditorOptions) {
    super({ orientation: 'vertical', spacing: 4 });
    this.addClass('mlwb-SqlEditorContent');
    const { catalog, trans } = _options;
    this.trans = trans;
    this.model = new SqlEditorModel({
      client: catalog.client,
      pageSize: _options.pageSize
    });

    const editorHost = new Widget();
    editorHost.addClass('mlwb-SqlEditor');
    this._editor = _options.editorServices.factoryService.newDocumentEditor({
      host: editorHost.node,
      model: new CodeEditor.Model({ mimeType: 'text/x-sql' }),
      extensions: [
        this._language.extension(catalog.completionNames),
        errorMarks(),
        Prec.highest(
          keymap.of([
            { key: 'Shift-Enter', run: () => this._runFromKey() },
            { key: 'Mod-Enter', run: () => this._runFromKey() },
            { key: 'Escape', run: () => this._stopFromKey() }
          ])
        )
      ],
      config: {
        lineNumbers: true,
        customStyles: { fontSize: _options.fontSize ?? null }
      }
    }) as CodeMirrorEditor;
    this._editor.model.sharedModel.setSource(_options.sql ?? '');

    this._cost = new CostPreview({
      client: catalog.client,
      thresholdRows: _options.costPreviewThresholdRows ?? null
    });
    this._cost.enabled = _options.costPreview !== false;
    this._costNode = new Widget();
    this._costNode.addClass('mlwb-CostPreview');
    this._costNode.node.dataset.testid = 'mlwb-cost-preview';
    this._cost.changed.connect(this._renderCost, this);
    this._renderCost();
    this._editor.model.sharedModel.changed.connect(this._onTextChanged, this);
    this._onTextChanged();

    const results = new Panel();
    results.addClass('mlwb-SqlEditor-results');
    this._status = new Widget();
    this._status.addClass('mlwb-SqlEditor-status');
    this._status.node.dataset.testid = 'mlwb-status';
    this._errorBox = new Widget();
    this._errorBox.addClass('mlwb-SqlEditor-error');
    this._errorBox.node.dataset.testid = 'mlwb-error';
    this._errorBox.node.setAttribute('role', 'alert');
    this._errorBox.hide();
    this._grid = new ResultsGrid(_options.gridStyle);
    results.addWidget(this._status);
    results.addWidget(this._costNode);
    results.addWidget(this._errorBox);
    results.addWidget(this._grid);

    this.addWidget(editorHost);
    this.addWidget(results);
    this.setRelativeSizes([1, 2]);

    this.model.stateChanged.connect(this._onStateChanged, this);
    this.model.progressChanged.connect(this._renderStatus, this);
    catalog.changed.connect(this._onCatalogChanged, this);
    this._renderStatus();
  }

  readonly model: SqlEditorModel;
  readonly trans: TranslationBundle;

  /** The cost preview of the editor's text. */
  get costPreview(): CostPreview {
    return this._cost;
  }

  /** Emitted with the result's session id when the user asks to profile the result. */
  get profileRequested(): ISignal<this, string> {
    return this._profileRequested;
  }

  /** The CodeMirror view (for tests and commands). */
  get view(): EditorView {
    return this._editor.editor;
  }

  get text(): string {
    return this._editor.model.sharedModel.getSource();
  }

  set text(value: string) {
    this._editor.model.sharedModel.setSource(value);
  }

  /** Run the selection, or the whole text when nothing is selected. */
  async run(): Promise<void> {
    const { from, to } = this.view.state.selection.main;
    const selected = from !== to;
    const sqlText = selected ? this.view.state.sliceDoc(from, to) : this.text;
    this._lineOffset = selected
      ? this.view.state.doc.lineAt(from).number - 1
      : 0;
    markError(this.view, null);
    this._cost.flush();
    await this.model.run(sqlText);
  }

  async stop(): Promise<void> {
    try {
      await this.model.stop();
    } catch (error) {
      await showErrorMessage(
        this.trans.__('Could not stop the query'),
        error as Error
      );
    }
  }

  /** Ask for a name and save the result; a 409 asks whether to write a new version. */
  async saveAsTable(): Promise<void> {
    const trans = this.trans;
    if (!this.model.hasResult) {
      return;
    }
    const value = await askTableName(trans);
    if (!value || !value.name) {
      return;
    }
    try {
      await this._save(value.name, value.overwrite);
    } catch (error) {
      await showErrorMessage(
        trans.__('Could not save the result'),
        error as Error
      );
    }
  }

  /** Download the whole result as CSV or Parquet. */
  async exportResult(format: ExportFormat): Promise<void> {
    if (!this.model.hasResult) {
      return;
    }
    try {
      saveDownload(await this.model.export(format));
    } catch (error) {
      await showErrorMessage(
        this.trans.__('Could not export the result'),
        error as Error
      );
    }
  }

  /** Profile the current result (the profile feature opens it). */
  profileResult(): void {
    const sessionId = this.model.hasResult
      ? this.model.result?.session_id
      : null;
    if (sessionId) {
      this._profileRequested.emit(sessionId);
    }
  }

  /**
   * Replace the text with the cost preview's LIMIT or sample rewrite of it (only while the
   * estimate is for the text in the editor).
   */
  applyCostRewrite(rewrite: CostRewrite): boolean {
    const estimate = this._cost.estimate;
    const sql =
      rewrite === 'limit' ? estimate?.limit_sql : estimate?.sample_sql;
    if (!sql || this._cost.estimatedSql !== this.text) {
      return false;
    }
    this.text = sql;
    this.focusEditor();
    return true;
  }

  /** Apply changed settings. */
  configure(settings: ISqlEditorSettings): void {
    if (settings.pageSize) {
      this.model.pageSize = settings.pageSize;
    }
    if (settings.fontSize !== undefined) {
      this._editor.setOption('customStyles', { fontSize: settings.fontSize });
    }
    if (settings.costPreviewThresholdRows !== undefined) {
      this._cost.thresholdRows = settings.costPreviewThresholdRows;
    }
    if (settings.costPreview !== undefined) {
      this._cost.enabled = settings.costPreview;
      this._onTextChanged();
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._options.catalog.changed.disconnect(this._onCatalogChanged, this);
    this._cost.dispose();
    this.model.dispose();
    this._editor.dispose();
    super.dispose();
  }

  focusEditor(): void {
    this._editor.focus();
  }

  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    this.focusEditor();
  }

  private async _save(name: string, overwrite: boolean): Promise<void> {
    try {
      await this.model.save(name, overwrite);
    } catch (error) {
      if (
        error instanceof WorkbenchApiError &&
        error.status === 409 &&
        !overwrite
      ) {
        if (await confirmNewVersion(this.trans, name)) {
          await this.model.save(name, true);
        } else {
          return;
        }
      } else {
        throw error;
      }
    }
    await this._options.catalog.refresh();
  }

  private _onTextChanged(): void {
    this._cost.textChanged(this.text);
  }

  private _renderCost(): void {
    renderCostPreview(
      this._costNode.node,
      this._cost.estimate,
      this.trans,
      rewrite => this.applyCostRewrite(rewrite)
    );
    if (this._grid) {
      // The line appears or goes: let the grid re-measure its viewport.
      MessageLoop.sendMessage(this._grid, Widget.ResizeMessage.UnknownSize);
    }
  }

  private _runFromKey(): boolean {
    void this.run();
    return true;
  }

  private _stopFromKey(): boolean {
    if (!this.model.isRunning) {
      return false;
    }
    void this.stop();
    return true;
  }

  private _onCatalogChanged(): void {
    const names = this._options.catalog.completionNames;
    if (names !== this._names) {
      this._names = names;
      this._language.update(this.view, names);
    }
  }

  private _onStateChanged(_: SqlEditorModel, state: RunState): void {
    if (state === 'ready' || state === 'counting') {
      if (this._grid.dataModel !== this.model.results) {
        this._grid.setModel(this.model.results);
        this.model.results?.fetchFailed.connect((_, error) =>
          this._showError(error)
        );
      }
    }
    this._showError(this.model.error);
    this._renderStatus();
    // The status line and error box change height; let the grid re-measure its viewport.
    MessageLoop.sendMessage(this._grid, Widget.ResizeMessage.UnknownSize);
  }

  private _showError(error: Error | null): void {
    const box = this._errorBox;
    box.node.textContent = '';
    if (!error) {
      box.hide();
      return;
    }
    const message = document.createElement('div');
    message.className = 'mlwb-SqlEditor-errorMessage';
    message.textContent = error.message;
    box.node.appendChild(message);
    if (error instanceof WorkbenchApiError) {
      const detail = describeDetail(error.detail);
      if (detail) {
        const pre = document.createElement('pre');
        pre.className = 'mlwb-SqlEditor-errorDetail';
        pre.textContent = detail;
        box.node.appendChild(pre);
      }
      const position = error.position;
      if (position) {
        const shifted: IErrorPosition = {
          line: position.line + this._lineOffset,
          column: position.column
        };
        markError(this.view, shifted);
      }
    }
    box.show();
  }

  private _renderStatus(): void {
    const model = this.model;
    const node = this._status.node;
    node.textContent = statusText(
      {
        state: model.state,
        totalRows: model.totalRows,
        shownRows: model.result?.rows.length ?? 0,
        elapsedMs: model.result?.elapsed_ms ?? null,
        message: model.result?.message ?? null,
        progress: model.progress
      },
      this.trans
    );
    if (model.state === 'running') {
      node.appendChild(progressBar(model.progress));
    }
    node.dataset.state = model.state;
    if (model.totalRows !== null && model.state !== 'running') {
      node.dataset.totalRows = String(model.totalRows);
    } else {
      delete node.dataset.totalRows;
    }
  }

  private _editor: CodeMirrorEditor;
  private _cost: CostPreview;
  private _costNode: Widget;
  private _profileRequested = new Signal<this, string>(this);
  private _language = new SqlLanguageSupport();
  private _names: { [table: string]: string[] } | null = null;
  private _status: Widget;
  private _errorBox: Widget;
  private _grid: ResultsGrid;
  private _lineOffset = 0;
}

/** The main-area widget: the content plus its toolbar. */
export class SqlEditorWidget extends MainAreaWidget<SqlEditorContent> {
  constructor(options: ISqlEditorOptions) {
    const content = new SqlEditorContent(options);
    super({ content });
    this.addClass('mlwb-SqlEditorPanel');
    this.title.label = options.trans.__('SQL');
    this.title.closable = true;
    addSqlEditorToolbar(this.toolbar, content);
    content.model.stateChanged.connect((_, state) => {
      this.toggleClass('mlwb-mod-running', state === 'running');
    });
  }
}

/** A thin bar under the status line: filled to `percent`, or sweeping while it is unknown. */
function progressBar(percent: number | null): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'mlwb-ProgressBar mlwb-SqlEditor-progress';
  bar.dataset.testid = 'mlwb-progress';
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  const fill = document.createElement('div');
  fill.className = 'mlwb-ProgressBar-fill';
  if (percent === null) {
    bar.classList.add('mlwb-mod-indeterminate');
  } else {
    bar.setAttribute('aria-valuenow', String(Math.floor(percent)));
    fill.style.width = `${Math.min(100, Math.max(0, percent))}%`;
  }
  bar.appendChild(fill);
  return bar;
}
