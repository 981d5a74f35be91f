import { nullTranslator } from '@jupyterlab/translation';

import { cellStatusText } from './status';

const trans = nullTranslator.load('mlworkbench');
const base = {
  totalRows: null,
  shownRows: 100,
  elapsedMs: 42.4,
  message: null,
  counting: true
};

describe('cellStatusText', () => {
  it('shows the total rows and the time', () => {
    expect(cellStatusText({ ...base, totalRows: 10_000_000 }, trans)).toBe(
      '10,000,000 rows · 42 ms'
    );
    expect(cellStatusText({ ...base, totalRows: 1 }, trans)).toBe(
      '1 row · 42 ms'
    );
  });

  it('says counting… while the kernel counts', () => {
    expect(cellStatusText(base, trans)).toBe('100+ rows · counting… · 42 ms');
  });

  it('says only what it knows when no kernel can count', () => {
    expect(cellStatusText({ ...base, counting: false }, trans)).toBe(
      '100+ rows · 42 ms'
    );
  });

  it('shows what a statement did', () => {
    expect(
      cellStatusText({ ...base, totalRows: 0, message: 'CREATE TABLE' }, trans)
    ).toBe('CREATE TABLE · 42 ms');
  });
});
