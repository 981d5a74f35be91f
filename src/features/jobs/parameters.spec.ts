import {
  collectValues,
  initialValue,
  inputKind,
  parseValue
} from './parameters';
import { REPORT_PARAMETERS } from './fakeApi';

const value = (type: string, input: string | boolean) => {
  const parsed = parseValue(type, input);
  return parsed.ok ? parsed.value : `error: ${parsed.error}`;
};

describe('parseValue', () => {
  it('parses each declared type from what a user types', () => {
    expect(value('int', ' 42 ')).toBe(42);
    expect(value('int', '-3')).toBe(-3);
    expect(value('float', '1e-3')).toBe(0.001);
    expect(value('float', '.5')).toBe(0.5);
    expect(value('bool', true)).toBe(true);
    expect(value('bool', 'no')).toBe(false);
    expect(value('date', '2026-02-28')).toBe('2026-02-28');
    expect(value('datetime', '2026-01-01 06:30')).toBe('2026-01-01T06:30');
    expect(value('list', '[1, "a"]')).toEqual([1, 'a']);
    expect(value('dict', '{"a": {"b": 2}}')).toEqual({ a: { b: 2 } });
    expect(value('any', '[1]')).toEqual([1]);
    expect(value('any', 'plain words')).toBe('plain words');
  });

  it('keeps a string as typed: no quotes needed, spaces kept', () => {
    expect(value('str', ' north ')).toBe(' north ');
    expect(value('str', '2026-01-01')).toBe('2026-01-01');
    expect(value('str', '"quoted"')).toBe('"quoted"');
  });

  it('refuses a value not of the type, saying what is expected', () => {
    expect(value('int', '2.5')).toBe(
      'error: Expects a whole number; got "2.5".'
    );
    expect(value('int', 'five')).toMatch(/^error: Expects a whole number/);
    expect(value('float', '1,5')).toMatch(/^error: Expects a number/);
    expect(value('bool', 'maybe')).toMatch(/true or false/);
    expect(value('date', '2026-02-30')).toMatch(/a date like 2026-01-01/);
    expect(value('date', '01/02/2026')).toMatch(/^error/);
    expect(value('list', '{"a": 1}')).toMatch(/a JSON list/);
    expect(value('list', "['a']")).toMatch(/a JSON list/);
    expect(value('dict', '[1]')).toMatch(/a JSON mapping/);
    expect(value('int', true)).toMatch(/^error/);
  });

  it('gives each type its kind of input', () => {
    expect(
      [
        'int',
        'float',
        'bool',
        'date',
        'datetime',
        'str',
        'list',
        'dict',
        'any'
      ].map(inputKind)
    ).toEqual([
      'number',
      'number',
      'checkbox',
      'date',
      'datetime',
      'text',
      'json',
      'json',
      'text'
    ]);
  });
});

describe('collectValues', () => {
  const fields = () =>
    Object.fromEntries(REPORT_PARAMETERS.map(p => [p.name, initialValue(p)]));

  it('sends only what differs from the notebook defaults, parsed by type', () => {
    const inputs = {
      ...fields(),
      n: '7',
      region: 'south',
      since: '2026-03-01'
    };
    expect(collectValues(REPORT_PARAMETERS, inputs)).toEqual({
      values: { n: 7, region: 'south', since: '2026-03-01' },
      errors: {}
    });
    // Untouched: the notebook's own defaults apply (the expression of `since` too).
    expect(collectValues(REPORT_PARAMETERS, fields())).toEqual({
      values: {},
      errors: {}
    });
  });

  it('shows the defaults in the inputs: literals as text, JSON for lists', () => {
    expect(fields()).toEqual({
      since: '',
      n: '5',
      rate: '0.5',
      verbose: false,
      region: 'north',
      tags: '["a"]'
    });
  });

  it('names every field that does not parse', () => {
    const inputs = { ...fields(), n: 'x', tags: 'a, b', rate: '0.7' };
    const { values, errors } = collectValues(REPORT_PARAMETERS, inputs);
    expect(Object.keys(errors).sort()).toEqual(['n', 'tags']);
    expect(values).toEqual({ rate: 0.7 });
  });

  it("keeps a stored job's value even when it equals the default", () => {
    const inputs = { ...fields(), n: '5' };
    expect(collectValues(REPORT_PARAMETERS, inputs, { n: 5 }).values).toEqual({
      n: 5
    });
  });
});
