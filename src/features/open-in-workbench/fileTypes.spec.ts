import { canOpenInWorkbench } from './fileTypes';

describe('canOpenInWorkbench', () => {
  it.each([
    'data/orders.csv',
    'orders.TSV',
    'a/b/c.parquet',
    'x.pq',
    'events.json',
    'events.jsonl',
    'events.ndjson',
    'shop.duckdb',
    'legacy.db',
    'my.data.CSV'
  ])('offers %s', path => expect(canOpenInWorkbench(path)).toBe(true));

  it.each([
    'notes.ipynb',
    'README.md',
    'archive.csv.gz',
    'csv',
    '.csv',
    'data/',
    'img.png'
  ])('does not offer %s', path => expect(canOpenInWorkbench(path)).toBe(false));
});
