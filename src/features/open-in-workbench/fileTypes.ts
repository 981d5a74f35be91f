/** Which files "Open in Workbench" offers to register as a source. */

/** Extensions DuckDB reads with the extensions built into the wheel (csv, parquet, json, duckdb). */
export const WORKBENCH_EXTENSIONS = [
  '.csv',
  '.tsv',
  '.parquet',
  '.pq',
  '.json',
  '.jsonl',
  '.ndjson',
  '.duckdb',
  '.db'
] as const;

/** True when the file's extension is one the Workbench can open (case-insensitive). */
export function canOpenInWorkbench(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) {
    return false; // no extension, or a dot file like ".csv"
  }
  const extension = name.slice(dot).toLowerCase();
  return (WORKBENCH_EXTENSIONS as readonly string[]).includes(extension);
}
