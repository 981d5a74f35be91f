/**
 * The "Try it" form's rules: one input per signature column, its text turned into the JSON
 * value the signature's type asks for (or a message saying what to fix), and the curl and
 * Python snippets that call the same predict route.
 */
import { IInputRow, LogicalType, ModelSignatureColumn } from './types';

/** The HTML input a column's type gets. */
export function inputType(type: LogicalType): string {
  switch (type) {
    case 'integer':
    case 'float':
      return 'number';
    case 'boolean':
      return 'checkbox';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime-local';
    default:
      return 'text';
  }
}

/**
 * The row the form's texts make. An empty input is null (the server says whether the column
 * may be null); a number that does not parse is an error naming the column.
 */
export function rowFromForm(
  columns: readonly ModelSignatureColumn[],
  values: { [column: string]: string | boolean | undefined }
): { row: IInputRow; errors: { [column: string]: string } } {
  const row: IInputRow = {};
  const errors: { [column: string]: string } = {};
  for (const column of columns) {
    const value = values[column.name];
    if (column.type === 'boolean') {
      row[column.name] = value === true || value === 'true';
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      row[column.name] = null;
      continue;
    }
    if (column.type === 'integer' || column.type === 'float') {
      const number = Number(text);
      if (!Number.isFinite(number)) {
        errors[column.name] = `'${text}' is not a number.`;
      } else if (column.type === 'integer' && !Number.isInteger(number)) {
        errors[column.name] = `'${text}' is not a whole number.`;
      } else {
        row[column.name] = number;
      }
      continue;
    }
    row[column.name] =
      column.type === 'datetime' ? text.replace('T', ' ') : text;
  }
  return { row, errors };
}

/** A placeholder row for the snippets: a typical value of each column's type. */
export function exampleRow(
  columns: readonly ModelSignatureColumn[]
): IInputRow {
  const example: { [type in LogicalType]: string | number | boolean } = {
    integer: 1,
    float: 0.5,
    boolean: true,
    string: 'text',
    date: '2024-01-31',
    datetime: '2024-01-31 12:00:00'
  };
  const row: IInputRow = {};
  for (const column of columns) {
    row[column.name] = example[column.type];
  }
  return row;
}

/** Where the token goes in the snippets: the user pastes theirs (never the page's own). */
export const TOKEN_PLACEHOLDER = '<your-jupyter-token>';

/** A curl command calling the predict route with one row. */
export function curlSnippet(url: string, row: IInputRow): string {
  const body = JSON.stringify({ dataframe_records: [row] });
  return [
    `curl -X POST '${url}' \\`,
    `  -H 'Authorization: token ${TOKEN_PLACEHOLDER}' \\`,
    "  -H 'Content-Type: application/json' \\",
    `  -d '${body.replace(/'/g, "'\\''")}'`
  ].join('\n');
}

/** Python (requests) calling the predict route with one row. */
export function pythonSnippet(url: string, row: IInputRow): string {
  const pyValue = (value: unknown): string =>
    value === null
      ? 'None'
      : value === true
        ? 'True'
        : value === false
          ? 'False'
          : JSON.stringify(value);
  const fields = Object.entries(row)
    .map(([name, value]) => `${JSON.stringify(name)}: ${pyValue(value)}`)
    .join(', ');
  return [
    'import requests',
    '',
    'response = requests.post(',
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": "token ${TOKEN_PLACEHOLDER}"},`,
    `    json={"dataframe_records": [{${fields}}]},`,
    ')',
    'response.raise_for_status()',
    'print(response.json()["predictions"])'
  ].join('\n');
}
