import {
  emptyForm,
  ITransformForm,
  parseList,
  parseValue,
  transformRequest
} from './transform';

const COLUMNS = [
  { name: 'amount', type: 'DECIMAL(8,2)' },
  { name: 'status', type: 'VARCHAR' },
  { name: 'paid', type: 'BOOLEAN' }
];

function request(change: Partial<ITransformForm>) {
  return transformRequest({ ...emptyForm('orders'), ...change }, COLUMNS);
}

describe('parseValue', () => {
  it('reads numbers for number columns, booleans for booleans, text otherwise', () => {
    expect(parseValue('12.5', 'DECIMAL(8,2)')).toBe(12.5);
    expect(parseValue('12', 'VARCHAR')).toBe('12');
    expect(parseValue('abc', 'INTEGER')).toBe('abc');
    expect(parseValue('TRUE', 'BOOLEAN')).toBe(true);
    expect(parseList('a, b,,c', 'VARCHAR')).toEqual(['a', 'b', 'c']);
  });
});

describe('transformRequest', () => {
  it('filters on a column with a typed value', () => {
    expect(request({ column: 'amount', op: '>', value: '100' })).toEqual({
      request: {
        table: 'orders',
        transform: { kind: 'filter', column: 'amount', op: '>', value: 100 }
      }
    });
  });

  it('filters with in, between and is null', () => {
    expect(
      request({ column: 'status', op: 'in', value: 'paid, shipped' })
    ).toMatchObject({
      request: { transform: { value: ['paid', 'shipped'] } }
    });
    expect(
      request({ column: 'amount', op: 'between', value: '1', value2: '5' })
    ).toMatchObject({ request: { transform: { value: [1, 5] } } });
    expect(request({ column: 'status', op: 'is null' })).toMatchObject({
      request: { transform: { op: 'is null', value: null } }
    });
  });

  it('uses a raw SQL condition as is', () => {
    expect(request({ expression: ' amount > 3 ' })).toEqual({
      request: {
        table: 'orders',
        transform: { kind: 'filter', expression: 'amount > 3' }
      }
    });
  });

  it('says what is missing', () => {
    expect(request({})).toEqual({
      problem: 'Pick a column (or write a condition).'
    });
    expect(request({ column: 'status' })).toEqual({ problem: 'Give a value.' });
    expect(request({ column: 'status', op: 'between', value: 'a' })).toEqual({
      problem: 'Give both bounds.'
    });
    expect(request({ kind: 'fill_nulls' })).toEqual({
      problem: 'Pick the columns to fill.'
    });
    expect(transformRequest(emptyForm(''), COLUMNS)).toEqual({
      problem: 'Pick a table.'
    });
  });

  it('derives, casts, drops duplicates and fills nulls', () => {
    expect(
      request({ kind: 'derive', name: 'total', expression: 'amount * 2' })
    ).toMatchObject({
      request: {
        transform: {
          kind: 'derive',
          name: 'total',
          expression: 'amount * 2',
          replace: false
        }
      }
    });
    expect(
      request({
        kind: 'cast',
        column: 'amount',
        toType: 'DOUBLE',
        tryCast: true
      })
    ).toMatchObject({
      request: {
        transform: {
          kind: 'cast',
          column: 'amount',
          to_type: 'DOUBLE',
          try_cast: true
        }
      }
    });
    expect(request({ kind: 'drop_duplicates' })).toMatchObject({
      request: { transform: { kind: 'drop_duplicates', columns: [] } }
    });
    expect(
      request({
        kind: 'drop_duplicates',
        columns: ['status'],
        column: 'amount',
        descending: true
      })
    ).toMatchObject({
      request: {
        transform: { columns: ['status'], order_by: 'amount', descending: true }
      }
    });
    expect(
      request({ kind: 'fill_nulls', columns: ['amount'], value: '0' })
    ).toMatchObject({
      request: { transform: { strategy: 'value', value: 0 } }
    });
    expect(
      request({ kind: 'fill_nulls', columns: ['amount'], strategy: 'median' })
    ).toMatchObject({
      request: { transform: { strategy: 'median' } }
    });
  });
});
