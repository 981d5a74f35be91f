import { formatCell, isNumericType } from './cells';

describe('formatCell', () => {
  it('shows values exactly as the server sent them', () => {
    expect(formatCell('12345678901234567890.1234567890')).toBe(
      '12345678901234567890.1234567890'
    );
    expect(formatCell("{'a': 1, 'b': [1, 2]}")).toBe("{'a': 1, 'b': [1, 2]}");
    expect(formatCell(42)).toBe('42');
    expect(formatCell(0.1)).toBe('0.1');
    expect(formatCell(false)).toBe('false');
    expect(formatCell(null)).toBe('NULL');
  });

  it('never shows [object Object]', () => {
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
    expect(formatCell([1, 2])).toBe('[1,2]');
  });
});

describe('isNumericType', () => {
  it.each([
    'INTEGER',
    'BIGINT',
    'HUGEINT',
    'UBIGINT',
    'UHUGEINT',
    'TINYINT',
    'DOUBLE',
    'FLOAT',
    'DECIMAL(18,3)',
    'decimal(38, 10)'
  ])('%s is numeric', type => expect(isNumericType(type)).toBe(true));

  it.each([
    'INTERVAL',
    'VARCHAR',
    'INTEGER[]',
    'STRUCT(a INTEGER)',
    'DATE',
    'BOOLEAN'
  ])('%s is not numeric', type => expect(isNumericType(type)).toBe(false));
});
