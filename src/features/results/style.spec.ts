import { GridStyle, readGridColors, withAlpha } from './style';

describe('grid colours', () => {
  it('come from the JupyterLab CSS variables', () => {
    const vars: Record<string, string> = {
      '--jp-layout-color0': '#111111',
      '--jp-layout-color1': '#222222',
      '--jp-content-font-color1': 'rgba(255, 255, 255, 0.87)',
      '--jp-brand-color1': '#42a5f5'
    };
    const colors = readGridColors(name => vars[name] ?? '');
    expect(colors.style.backgroundColor).toBe('#111111');
    expect(colors.style.rowBackgroundColor!(1)).toBe('#222222');
    expect(colors.textColor).toBe('rgba(255, 255, 255, 0.87)');
    expect(colors.style.selectionFillColor).toBe('rgba(66, 165, 245, 0.2)');
  });

  it('are re-read on refresh (theme change)', () => {
    let background = '#ffffff';
    const style = new GridStyle(
      () => name => (name === '--jp-layout-color0' ? background : '')
    );
    const seen: string[] = [];
    style.changed.connect((_, colors) =>
      seen.push(colors.style.backgroundColor!)
    );
    background = '#000000';
    style.refresh();
    expect(seen).toEqual(['#000000']);
    expect(style.colors.style.voidColor).toBe('#000000');
  });

  it('withAlpha handles hex and rgb', () => {
    expect(withAlpha('#ff0000', 0.5)).toBe('rgba(255, 0, 0, 0.5)');
    expect(withAlpha('rgb(1, 2, 3)', 0.1)).toBe('rgba(1, 2, 3, 0.1)');
    expect(withAlpha('red', 0.1)).toBe('red');
  });
});
