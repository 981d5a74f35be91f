/**
 * The output of a `%%sql` cell: a status line, the virtualised results grid over the result
 * kept in the kernel, and a notice when the rest of the result cannot be reached.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { DataModel } from '@lumino/datagrid';
import { MessageLoop } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

import type { Cell, ColumnInfo, FetchPageRequest } from '../../api/client';
import { ResultsDataModel } from '../results/model';
import { ResultsGrid } from '../results/ResultsGrid';
import type { GridStyle } from '../results/style';
import {
  GONE,
  KernelFinder,
  KernelPager,
  KernelRequestError,
  NO_KERNEL,
  NOT_LOADED
} from './kernelPager';
import { cellStatusText } from './status';

export const MIME_TYPE = 'application/vnd.mlworkbench.result+json';

/** What the kernel's SqlResult puts under MIME_TYPE (mlworkbench/magics/result.py). */
export interface ICellResultPayload {
  session_id: string | null;
  query_id: string | null;
  columns: ColumnInfo[];
  rows: Cell[][];
  total_rows: number | null;
  elapsed_ms: number | null;
  message: string | null;
}

/** Grid geometry (matches ResultsGrid's default sizes). */
const ROW_HEIGHT = 22;
const HEADER_HEIGHT = 26;
const SCROLLBAR = 16;
const MAX_VISIBLE_ROWS = 12;
const MIN_GRID_HEIGHT = HEADER_HEIGHT + ROW_HEIGHT + SCROLLBAR;

/**
 * Height of a grid showing up to MAX_VISIBLE_ROWS rows (all of a small result), with room for
 * a horizontal scrollbar when the columns are wider than the output.
 */
export function gridHeight(
  rows: number | null,
  horizontalScroll = false
): number {
  const visible = Math.min(
    MAX_VISIBLE_ROWS,
    Math.max(1, rows ?? MAX_VISIBLE_ROWS)
  );
  return (
    HEADER_HEIGHT +
    visible * ROW_HEIGHT +
    2 +
    (horizontalScroll ? SCROLLBAR : 0)
  );
}

export interface ICellResultViewOptions {
  gridStyle: GridStyle;
  trans: TranslationBundle;
  /** The kernel of the notebook or console that shows this node, at request time. */
  findKernel: (node: HTMLElement) => ReturnType<KernelFinder>;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** First delay between row-count checks while the kernel counts (doubles up to 5 s). */
  pollMs?: number;
}

export class CellResultView extends Panel implements IRenderMime.IRenderer {
  constructor(private readonly _options: ICellResultViewOptions) {
    super();
    this.addClass('mlwb-CellResult');
    this.node.dataset.testid = 'mlwb-cell-result';
    this._status.addClass('mlwb-CellResult-status');
    this._status.node.dataset.testid = 'mlwb-cell-result-status';
    this._notice.addClass('mlwb-CellResult-notice');
    this._notice.node.dataset.testid = 'mlwb-cell-result-notice';
    this._notice.node.setAttribute('role', 'status');
    this._notice.hide();
    this.addWidget(this._status);
    this.addWidget(this._notice);
  }

  /** The grid's data (null for a statement without columns). */
  get model(): ResultsDataModel | null {
    return this._model;
  }

  get grid(): ResultsGrid | null {
    return this._grid;
  }

  async renderModel(mimeModel: IRenderMime.IMimeModel): Promise<void> {
    const payload = mimeModel.data[MIME_TYPE] as unknown as ICellResultPayload;
    this._mimeModel = mimeModel;
    const current = this._payload;
    if (
      current &&
      this._model &&
      payload.session_id === current.session_id &&
      payload.query_id === current.query_id &&
      payload.columns.length === current.columns.length
    ) {
      // The same result again (its count was written into the output): keep the grid, its
      // scroll position and its sort.
      this._payload = payload;
      if (payload.total_rows !== null && this._model.totalRows === null) {
        this._model.setTotalRows(payload.total_rows);
      }
      this._renderStatus();
      return;
    }
    this._show(payload);
  }

  dispose(): void {
    this._stopPolling();
    super.dispose();
  }

  protected onBeforeAttach(): void {
    this._beforeAttach = true;
  }

  protected onAfterAttach(): void {
    if (!this._beforeAttach && this._grid) {
      // A notebook restored from disk attaches cell outputs with 'after-attach' only; the
      // grid adds its wheel and mouse listeners on 'before-attach' (adding them twice is a
      // no-op), so without this it would not scroll.
      MessageLoop.sendMessage(this._grid, Widget.Msg.BeforeAttach);
    }
    this._beforeAttach = false;
    requestAnimationFrame(() => this._fitGrid());
    if (this._counting && this._pollTimer === null) {
      this._poll(0);
    }
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._fitGrid();
  }

  protected onBeforeDetach(): void {
    this._stopPolling();
  }

  private _show(payload: ICellResultPayload): void {
    this._stopPolling();
    this._grid?.dispose();
    this._handle?.dispose();
    this._grid = this._handle = this._model = null;
    this._userHeight = false;
    this._hideNotice();
    this._payload = payload;
    const { trans, timeoutMs } = this._options;
    const rows = payload.rows ?? [];
    this._pager = payload.session_id
      ? new KernelPager({
          sessionId: payload.session_id,
          findKernel: () => this._options.findKernel(this.node),
          firstRows: rows.length,
          trans,
          timeoutMs
        })
      : null;
    this._counting = payload.total_rows === null && this._pager !== null;
    if (payload.columns.length) {
      const model = new ResultsDataModel({
        fetchPage: this._fetchPage,
        columns: payload.columns,
        firstRows: rows,
        totalRows: payload.total_rows,
        // Blocks the size of the first page, so that the page the output holds seeds block 0.
        blockSize: rows.length || 100
      });
      model.fetchFailed.connect((_, error) => this._showNotice(error), this);
      model.changed.connect(this._onModelChanged, this);
      const grid = new ResultsGrid(this._options.gridStyle);
      grid.addClass('mlwb-CellResult-grid');
      grid.node.style.height = `${gridHeight(payload.total_rows ?? rows.length)}px`;
      grid.setModel(model);
      // A column resize ends with a pointerup on the header: fit the width to the columns again.
      grid.node.addEventListener('pointerup', () =>
        requestAnimationFrame(() => this._fitGrid())
      );
      this._handle = this._resizeHandle(grid);
      this.addWidget(grid);
      this.addWidget(this._handle);
      this._model = model;
      this._grid = grid;
    }
    this._renderStatus();
    if (this.isAttached) {
      this.onAfterAttach();
    }
  }

  private readonly _fetchPage = (request: FetchPageRequest) => {
    if (!this._pager) {
      return Promise.reject(
        new KernelRequestError(
          this._options.trans.__(
            'This output holds the first %1 rows; the whole result is in the variable the cell assigned.',
            this._payload?.rows.length ?? 0
          ),
          'no_session'
        )
      );
    }
    return this._pager.fetchPage(request);
  };

  private _onModelChanged(
    model: ResultsDataModel,
    args: DataModel.ChangedArgs
  ): void {
    this._renderStatus();
    if (model.totalRows !== null) {
      this._keepTotal(model.totalRows);
    }
    if (args.type === 'rows-inserted' || args.type === 'rows-removed') {
      // After the grid has widened its row header for the new count.
      requestAnimationFrame(() => this._fitGrid());
    }
  }

  private _renderStatus(): void {
    const payload = this._payload;
    if (!payload) {
      return;
    }
    const total = this._model ? this._model.totalRows : payload.total_rows;
    if (total !== null) {
      this._counting = false;
    }
    const node = this._status.node;
    node.textContent = cellStatusText(
      {
        totalRows: total,
        shownRows: payload.rows.length,
        elapsedMs: payload.elapsed_ms,
        message: payload.message,
        counting: this._counting
      },
      this._options.trans
    );
    node.dataset.state =
      total === null && this._counting ? 'counting' : 'ready';
    if (total !== null) {
      node.dataset.totalRows = String(total);
    } else {
      delete node.dataset.totalRows;
    }
  }

  /**
   * Write the count into the cell's output, so that a saved notebook shows it when reopened
   * without its kernel. The output area then calls renderModel again with the same result.
   */
  private _keepTotal(total: number): void {
    const payload = this._payload;
    const mimeModel = this._mimeModel;
    if (!payload || !mimeModel || payload.total_rows !== null) {
      return;
    }
    const updated = { ...payload, total_rows: total };
    this._payload = updated;
    try {
      mimeModel.setData({
        data: { ...mimeModel.data, [MIME_TYPE]: updated as any }
      });
    } catch (error) {
      console.warn(
        'mlworkbench: cannot keep the row count in the output',
        error
      );
    }
  }

  /** Ask the kernel for the row count until it is known (backing off to every 5 s). */
  private _poll(delay: number): void {
    const pager = this._pager;
    if (!pager) {
      return;
    }
    const base = this._options.pollMs ?? 500;
    this._pollTimer = window.setTimeout(async () => {
      try {
        const described = await pager.describe();
        if (
          this.isDisposed ||
          pager !== this._pager ||
          this._pollTimer === null
        ) {
          return;
        }
        if (
          described.total_rows !== null &&
          described.total_rows !== undefined
        ) {
          this._pollTimer = null;
          this._model?.setTotalRows(described.total_rows);
          this._counting = false;
          this._renderStatus();
          this._keepTotal(described.total_rows);
        } else if (described.status === 'failed') {
          this._pollTimer = null;
          this._counting = false;
          this._renderStatus();
          this._showNotice(
            new Error(described.error ?? 'The result could not be counted.')
          );
        } else {
          this._poll(Math.min(5000, Math.max(base, delay * 2)));
        }
      } catch (error) {
        if (this.isDisposed || pager !== this._pager) {
          return;
        }
        this._pollTimer = null;
        this._counting = false;
        this._renderStatus();
        this._showNotice(error as Error);
      }
    }, delay);
  }

  private _stopPolling(): void {
    if (this._pollTimer !== null) {
      window.clearTimeout(this._pollTimer);
      this._pollTimer = null;
    }
  }

  private _showNotice(error: Error): void {
    const node = this._notice.node;
    node.textContent = '';
    const code = error instanceof KernelRequestError ? error.code : 'error';
    node.dataset.code = code;
    const text = document.createElement('span');
    text.className = 'mlwb-CellResult-noticeText';
    text.textContent = error.message;
    node.appendChild(text);
    // Retrying helps after a timeout or a transient error, not when the result is gone.
    if (![NO_KERNEL, NOT_LOADED, GONE, 'no_session'].includes(code)) {
      const retry = document.createElement('button');
      retry.className = 'jp-mod-styled mlwb-CellResult-retry';
      retry.dataset.testid = 'mlwb-cell-result-retry';
      retry.textContent = this._options.trans.__('Retry');
      retry.onclick = () => {
        this._hideNotice();
        this._model?.retryFailed();
      };
      node.appendChild(retry);
    }
    this._notice.show();
  }

  private _hideNotice(): void {
    this._notice.node.textContent = '';
    delete this._notice.node.dataset.code;
    this._notice.hide();
  }

  /** A bar under the grid that drags its height. */
  private _resizeHandle(grid: ResultsGrid): Widget {
    const handle = new Widget();
    handle.addClass('mlwb-CellResult-resize');
    handle.node.title = this._options.trans.__('Drag to resize');
    handle.node.onpointerdown = (down: PointerEvent) => {
      down.preventDefault();
      const start = grid.node.offsetHeight;
      this._userHeight = true;
      const move = (event: PointerEvent) => {
        const height = Math.max(
          MIN_GRID_HEIGHT,
          start + event.clientY - down.clientY
        );
        grid.node.style.height = `${height}px`;
        MessageLoop.sendMessage(grid, Widget.ResizeMessage.UnknownSize);
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    };
    return handle;
  }

  /**
   * Fit the grid to its result: as wide as its columns (up to the output's width) and as tall
   * as its rows (up to MAX_VISIBLE_ROWS), unless the user dragged its height.
   */
  private _fitGrid(): void {
    const grid = this._grid;
    const model = this._model;
    if (!grid || !model || !this.isAttached) {
      return;
    }
    const rows = model.rowCount('body');
    const width =
      grid.headerWidth +
      grid.bodyWidth +
      2 +
      (rows > MAX_VISIBLE_ROWS ? SCROLLBAR : 0);
    const available = this.node.clientWidth;
    const maxWidth = `${width}px`;
    grid.node.style.maxWidth = maxWidth;
    if (this._handle) {
      this._handle.node.style.maxWidth = maxWidth;
    }
    if (!this._userHeight) {
      grid.node.style.height = `${gridHeight(rows, available > 0 && width > available)}px`;
    }
    MessageLoop.sendMessage(grid, Widget.ResizeMessage.UnknownSize);
  }

  private _status = new Widget();
  private _notice = new Widget();
  private _payload: ICellResultPayload | null = null;
  private _mimeModel: IRenderMime.IMimeModel | null = null;
  private _pager: KernelPager | null = null;
  private _model: ResultsDataModel | null = null;
  private _grid: ResultsGrid | null = null;
  private _handle: Widget | null = null;
  private _counting = false;
  private _userHeight = false;
  private _beforeAttach = false;
  private _pollTimer: number | null = null;
}
