/**
 * Colours and fonts of the results grid, read from JupyterLab's CSS variables so that the
 * grid follows the light and dark themes. `refresh()` re-reads them (on theme change).
 */
import { DataGrid } from '@lumino/datagrid';
import { ISignal, Signal } from '@lumino/signaling';

export interface IGridColors {
  style: DataGrid.Style;
  textColor: string;
  mutedTextColor: string;
  headerTextColor: string;
  font: string;
  headerFont: string;
}

/** Reads a CSS variable from an element's computed style. */
export type CssReader = (name: string) => string;

export function cssReader(element: Element = document.body): CssReader {
  const computed = getComputedStyle(element);
  return name => computed.getPropertyValue(name).trim();
}

/** Build the grid's colours from the theme's CSS variables. */
export function readGridColors(read: CssReader): IGridColors {
  const pick = (name: string, fallback: string) => read(name) || fallback;
  const background = pick('--jp-layout-color0', '#ffffff');
  const stripe = pick('--jp-layout-color1', background);
  const header = pick('--jp-layout-color2', '#eeeeee');
  const border = pick('--jp-border-color2', '#e0e0e0');
  const brand = pick('--jp-brand-color1', '#1976d2');
  const fontFamily = pick('--jp-code-font-family', 'monospace');
  const fontSize = pick('--jp-code-font-size', '13px');
  const uiFontFamily = pick('--jp-ui-font-family', 'sans-serif');
  const uiFontSize = pick('--jp-ui-font-size1', '13px');
  return {
    style: {
      ...DataGrid.defaultStyle,
      voidColor: background,
      backgroundColor: background,
      rowBackgroundColor: i => (i % 2 === 0 ? background : stripe),
      gridLineColor: border,
      headerBackgroundColor: header,
      headerGridLineColor: pick('--jp-border-color1', border),
      selectionFillColor: withAlpha(brand, 0.2),
      selectionBorderColor: brand,
      cursorBorderColor: brand,
      headerSelectionFillColor: withAlpha(brand, 0.15),
      headerSelectionBorderColor: brand,
      scrollShadow: {
        size: 6,
        color1: 'rgba(0, 0, 0, 0.15)',
        color2: 'rgba(0, 0, 0, 0.05)',
        color3: 'rgba(0, 0, 0, 0)'
      }
    },
    textColor: pick('--jp-content-font-color1', '#000000'),
    mutedTextColor: pick('--jp-content-font-color3', '#757575'),
    headerTextColor: pick('--jp-ui-font-color1', '#000000'),
    font: `${fontSize} ${fontFamily}`,
    headerFont: `bold ${uiFontSize} ${uiFontFamily}`
  };
}

/** `#rrggbb` or `rgb(...)` with an alpha; other colour syntaxes are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/i.exec(color);
  if (rgb) {
    return `rgba(${rgb[1].trim()}, ${rgb[2].trim()}, ${rgb[3].trim()}, ${alpha})`;
  }
  return color;
}

/** The current grid colours; `changed` fires when the theme changes. */
export class GridStyle {
  constructor(private readonly _read: () => CssReader = () => cssReader()) {
    this._colors = readGridColors(this._read());
  }

  get colors(): IGridColors {
    return this._colors;
  }

  get changed(): ISignal<this, IGridColors> {
    return this._changed;
  }

  /** Re-read the CSS variables (call after the theme's stylesheet is applied). */
  refresh(): void {
    this._colors = readGridColors(this._read());
    this._changed.emit(this._colors);
  }

  private _colors: IGridColors;
  private _changed = new Signal<this, IGridColors>(this);
}
