/**
 * The "New label set" form as data: what the user filled in, and the request it makes (or
 * why it cannot make one yet). No DOM here, so it is tested on its own.
 */
import { quoteIdentifier } from '../catalog/tree';
import { ICreateLabelSet } from './types';

export type SourceKind = 'table' | 'query';

export interface ILabelSetForm {
  name: string;
  source: SourceKind;
  table: string;
  sql: string;
  key: string;
  /** Columns shown to the labeler (empty: every column but the key). */
  show: string[];
  /** The label choices as typed: comma- or newline-separated. */
  choices: string;
  multi: boolean;
}

export function emptyForm(table = ''): ILabelSetForm {
  return {
    name: '',
    source: 'table',
    table,
    sql: '',
    key: '',
    show: [],
    choices: '',
    multi: false
  };
}

/** The SELECT the label set is made from. */
export function sourceSql(form: ILabelSetForm): string {
  return form.source === 'table'
    ? form.table
      ? `SELECT * FROM ${quoteIdentifier(form.table)}`
      : ''
    : form.sql.trim().replace(/;\s*$/, '');
}

/** The choices as a list: trimmed, non-empty, first of duplicates kept. */
export function parseChoices(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const choice = part.trim();
    if (choice && !seen.has(choice)) {
      seen.add(choice);
      out.push(choice);
    }
  }
  return out;
}

/** A name for a label set made from a table, e.g. reviews -> reviews_labels. */
export function suggestName(form: ILabelSetForm): string {
  const base =
    form.source === 'table' && form.table
      ? form.table.split('.').pop()!.replace(/"/g, '')
      : 'items';
  return `${base.replace(/[^A-Za-z0-9_]/g, '_')}_labels`;
}

/** The request, or the problem to show (English; the view translates it). */
export function createRequest(
  form: ILabelSetForm
): { request: ICreateLabelSet } | { problem: string } {
  const name = form.name.trim() || suggestName(form);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return {
      problem:
        'The name must start with a letter or _ and hold only letters, digits and _.'
    };
  }
  const sql = sourceSql(form);
  if (!sql) {
    return {
      problem:
        form.source === 'table' ? 'Choose a table.' : 'Write a SELECT query.'
    };
  }
  if (!form.key) {
    return { problem: 'Choose the key column (one value per item).' };
  }
  const choices = parseChoices(form.choices);
  if (choices.length < 2 && !form.multi) {
    return { problem: 'Give at least two label choices, separated by commas.' };
  }
  if (choices.length < 1) {
    return { problem: 'Give at least one label choice.' };
  }
  return {
    request: {
      name,
      sql,
      key: form.key,
      choices,
      multi: form.multi,
      show: form.show.length > 0 ? form.show : null
    }
  };
}

/** A key column to preselect: one named id/key/*_id, else the first column. */
export function guessKey(columns: string[]): string {
  return (
    columns.find(c => /^(id|key|uid|uuid)$/i.test(c)) ??
    columns.find(c => /(_id|_key)$/i.test(c)) ??
    columns[0] ??
    ''
  );
}
