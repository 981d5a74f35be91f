/**
 * A notebook parameter's value as the run form edits it: the text (or tick) a user gives,
 * checked and parsed by the declared type before anything is sent, so a string needs no
 * quotes, a number must be one, a list or mapping is JSON.
 */
import { NotebookParameter } from './types';

/** What an input of the form holds: text, or a tick for a bool. */
export type FieldValue = string | boolean;

/** A parsed value, or why the text is not of the parameter's type. */
export type Parsed =
  { ok: true; value: unknown } | { ok: false; error: string };

/** The kind of input a declared type gets. */
export type InputKind =
  'number' | 'checkbox' | 'date' | 'datetime' | 'text' | 'json';

export function inputKind(type: string): InputKind {
  switch (type) {
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'checkbox';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'list':
    case 'dict':
      return 'json';
    default:
      return 'text';
  }
}

/** What a value of the type looks like, for messages and placeholders. */
export function expected(type: string): string {
  return (
    {
      int: 'a whole number',
      float: 'a number',
      bool: 'true or false',
      date: 'a date like 2026-01-01',
      datetime: 'a date and time like 2026-01-01T06:00',
      list: 'a JSON list like [1, 2]',
      dict: 'a JSON mapping like {"a": 1}'
    }[type] ?? 'text'
  );
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?$/;

function validDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/**
 * The value of `input` for a parameter of `type`. Text is trimmed except for `str`, which is
 * taken as typed (no quotes needed); `any` is JSON when it parses, else the text.
 */
export function parseValue(type: string, input: FieldValue): Parsed {
  const fail = (): Parsed => ({
    ok: false,
    error: `Expects ${expected(type)}; got ${JSON.stringify(input)}.`
  });
  if (typeof input === 'boolean') {
    return type === 'bool' ? { ok: true, value: input } : fail();
  }
  const text = input.trim();
  switch (type) {
    case 'str':
      return { ok: true, value: input };
    case 'int':
      return INT.test(text) ? { ok: true, value: Number(text) } : fail();
    case 'float':
      return FLOAT.test(text) ? { ok: true, value: Number(text) } : fail();
    case 'bool': {
      const lower = text.toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(lower)) {
        return { ok: true, value: true };
      }
      return ['false', 'no', '0', 'off'].includes(lower)
        ? { ok: true, value: false }
        : fail();
    }
    case 'date':
      return validDate(text) ? { ok: true, value: text } : fail();
    case 'datetime': {
      const match = DATETIME.exec(text);
      return match && validDate(match[1])
        ? { ok: true, value: text.replace(' ', 'T') }
        : fail();
    }
    case 'list':
    case 'dict': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail();
      }
      const isList = Array.isArray(value);
      const isDict =
        value !== null && typeof value === 'object' && !Array.isArray(value);
      return (type === 'list' ? isList : isDict) ? { ok: true, value } : fail();
    }
    default:
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: true, value: input };
      }
  }
}

/**
 * What the form's input shows first for a parameter: its value (a stored job's, else the
 * notebook's default when it is a literal); '' when the default is an expression (the input
 * then shows the expression as a placeholder and, left empty, the notebook keeps it).
 */
export function initialValue(
  param: NotebookParameter,
  stored?: unknown
): FieldValue {
  const value = stored !== undefined ? stored : param.default;
  if (param.type === 'bool') {
    return value === true;
  }
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * The parameters to send: each field whose input differs from what the notebook declares by
 * default (an unchanged field lets the notebook's own default apply, expressions included),
 * parsed by type; or the message of each field that does not parse.
 */
export function collectValues(
  params: readonly NotebookParameter[],
  fields: { [name: string]: FieldValue },
  stored: { [name: string]: unknown } = {}
): { values: { [name: string]: unknown }; errors: { [name: string]: string } } {
  const values: { [name: string]: unknown } = {};
  const errors: { [name: string]: string } = {};
  for (const param of params) {
    const input = fields[param.name];
    if (input === undefined) {
      continue;
    }
    const isDefault = input === initialValue(param);
    if (isDefault && !(param.name in stored)) {
      continue;
    }
    if (input === '' && param.type !== 'str') {
      continue; // left empty: the notebook's default
    }
    const parsed = parseValue(param.type, input);
    if (parsed.ok) {
      values[param.name] = parsed.value;
    } else {
      errors[param.name] = parsed.error;
    }
  }
  return { values, errors };
}
