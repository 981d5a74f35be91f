/**
 * The results grid: a Lumino DataGrid over a ResultsDataModel. Clicking a column header cycles
 * the server-side sort; numbers are right-aligned; colours follow the theme.
 */
import {
  BasicKeyHandler,
  BasicMouseHandler,
  BasicSelectionModel,
  CellRenderer,
  DataGrid,
  TextRenderer
} from '@lumino/datagrid';

import { FAILED_TEXT, LOADING_TEXT } from './cells';
import { ResultsDataModel } from './model';
import { GridStyle, IGridColors } from './style';

/** A header click moves less than this (px) to count as a click, not a drag. */
const CLICK_SLOP = 4;
/** Clicks this close (px) to a header's edge are column resizes, not sorts. */
const RESIZE_MARGIN = 6;

/** Sorts on a header click, leaves resizing and selecting to the basic handler. */
export class SortingMouseHandler extends BasicMouseHandler {
  onMouseDown(grid: DataGrid, event: MouseEvent): void {
    const hit = grid.hitTest(event.clientX, event.clientY);
    this._press =
      hit.region === 'column-header' &&
      hit.x > RESIZE_MARGIN &&
      hit.width - hit.x > RESIZE_MARGIN
        ? { column: hit.column, x: event.clientX, y: event.clientY }
        : null;
    super.onMouseDown(grid, event);
  }

  onMouseUp(grid: DataGrid, event: MouseEvent): void {
    super.onMouseUp(grid, event);
    const press = this._press;
    this._press = null;
    if (!press) {
      return;
    }
    const hit = grid.hitTest(event.clientX, event.clientY);
    const still =
      Math.abs(event.clientX - press.x) < CLICK_SLOP &&
      Math.abs(event.clientY - press.y) < CLICK_SLOP;
    if (
      still &&
      hit.region === 'column-header' &&
      hit.column === press.column
    ) {
      const model = grid.dataModel;
      if (model instanceof ResultsDataModel) {
        model.cycleSort(hit.column);
      }
    }
  }

  private _press: { column: number; x: number; y: number } | null = null;
}

export class ResultsGrid extends DataGrid {
  constructor(private readonly _gridStyle: GridStyle) {
    super({
      style: _gridStyle.colors.style,
      defaultSizes: {
        rowHeight: 22,
        columnWidth: 140,
        rowHeaderWidth: 64,
        columnHeaderHeight: 26
      },
      headerVisibility: 'all'
    });
    this.addClass('mlwb-ResultsGrid');
    this.node.dataset.testid = 'mlwb-results-grid';
    this.keyHandler = new BasicKeyHandler();
    this.mouseHandler = new SortingMouseHandler();
    this.copyConfig = {
      ...this.copyConfig,
      format: ({ value }) => String(value ?? '')
    };
    this._applyColors(_gridStyle.colors);
    _gridStyle.changed.connect(this._onStyleChanged, this);
  }

  /** Show a result (or nothing). */
  setModel(model: ResultsDataModel | null): void {
    this.dataModel = model;
    this.selectionModel = model
      ? new BasicSelectionModel({ dataModel: model })
      : null;
    if (model) {
      this._fitColumns(model);
      model.changed.connect(this._onModelChanged, this);
    }
  }

  private _onModelChanged(model: ResultsDataModel): void {
    if (model === this.dataModel) {
      this._fitRowHeader(model);
    }
  }

  /** Widths from the header text (the rows are not all here to measure). */
  private _fitColumns(model: ResultsDataModel): void {
    model.columns.forEach((_, i) => {
      this.resizeColumn('body', i, headerWidth(model.headerText(i)));
    });
    this._fitRowHeader(model);
  }

  private _fitRowHeader(model: ResultsDataModel): void {
    const digits = String(model.rowCount('body')).length;
    this.resizeColumn('row-header', 0, Math.max(48, 16 + digits * 8));
  }

  dispose(): void {
    this._gridStyle.changed.disconnect(this._onStyleChanged, this);
    super.dispose();
  }

  private _onStyleChanged(_: GridStyle, colors: IGridColors): void {
    this._applyColors(colors);
  }

  private _applyColors(colors: IGridColors): void {
    this.style = colors.style;
    this.cellRenderers.update({
      body: bodyRenderer(colors),
      'column-header': new TextRenderer({
        font: colors.headerFont,
        textColor: colors.headerTextColor,
        horizontalAlignment: 'left'
      }),
      'row-header': new TextRenderer({
        font: colors.font,
        textColor: colors.mutedTextColor,
        horizontalAlignment: 'right'
      }),
      'corner-header': new TextRenderer({
        font: colors.headerFont,
        textColor: colors.mutedTextColor
      })
    });
  }
}

/** A column width that fits a header's text (with room for the sort indicator). */
export function headerWidth(text: string): number {
  return Math.min(360, Math.max(80, Math.round(text.length * 7.5) + 36));
}

function bodyRenderer(colors: IGridColors): TextRenderer {
  return new TextRenderer({
    font: colors.font,
    textColor: ({ value }: CellRenderer.CellConfig) =>
      value === LOADING_TEXT || value === FAILED_TEXT || value === 'NULL'
        ? colors.mutedTextColor
        : colors.textColor,
    horizontalAlignment: ({ metadata }: CellRenderer.CellConfig) =>
      metadata.numeric ? 'right' : 'left',
    format: ({ value }: CellRenderer.CellConfig) => String(value ?? '')
  });
}
