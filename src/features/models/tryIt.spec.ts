import { predictPath } from './api';
import { modelNameFrom } from './commands';
import {
  curlSnippet,
  exampleRow,
  inputType,
  pythonSnippet,
  rowFromForm,
  TOKEN_PLACEHOLDER
} from './tryIt';
import { ModelSignatureColumn } from './types';

const COLUMNS: ModelSignatureColumn[] = [
  { name: 'age', type: 'integer', nullable: false },
  { name: 'spend', type: 'float', nullable: true },
  { name: 'plan', type: 'string', nullable: true },
  { name: 'active', type: 'boolean', nullable: true },
  { name: 'seen', type: 'datetime', nullable: true }
];

describe('the Try it form', () => {
  it('types each value by the signature; empty is null', () => {
    expect(inputType('integer')).toBe('number');
    expect(inputType('boolean')).toBe('checkbox');
    expect(inputType('date')).toBe('date');
    const { row, errors } = rowFromForm(COLUMNS, {
      age: '42',
      spend: ' 3.5 ',
      plan: 'pro',
      active: true,
      seen: '2024-01-31T10:00'
    });
    expect(errors).toEqual({});
    expect(row).toEqual({
      age: 42,
      spend: 3.5,
      plan: 'pro',
      active: true,
      seen: '2024-01-31 10:00'
    });
    expect(rowFromForm(COLUMNS, {}).row).toEqual({
      age: null,
      spend: null,
      plan: null,
      active: false,
      seen: null
    });
  });

  it('names the column whose text is not its type', () => {
    const { errors } = rowFromForm(COLUMNS, { age: '4.5', spend: 'abc' });
    expect(errors).toEqual({
      age: "'4.5' is not a whole number.",
      spend: "'abc' is not a number."
    });
  });

  it('writes curl and Python calls of the predict route with a token placeholder', () => {
    const url = 'http://host:8888/lab-base/' + predictPath('churn@production');
    expect(url).toBe(
      'http://host:8888/lab-base/mlworkbench/api/models/churn@production/predict'
    );
    const row = exampleRow(COLUMNS);
    const curl = curlSnippet(url, row);
    expect(curl).toContain(`Authorization: token ${TOKEN_PLACEHOLDER}`);
    expect(curl).toContain('"dataframe_records":[{"age":1,"spend":0.5');
    const python = pythonSnippet(url, row);
    expect(python).toContain('json={"dataframe_records": [{"age": 1');
    expect(python).toContain('"active": True');
    expect(python).toContain(url);
  });

  it('encodes the name and alias but keeps the @', () => {
    expect(predictPath('my model@v 1')).toBe(
      'mlworkbench/api/models/my%20model@v%201/predict'
    );
  });

  it('makes a model name from a run target', () => {
    expect(modelNameFrom('churned')).toBe('churned');
    expect(modelNameFrom('sale price')).toBe('sale_price');
    expect(modelNameFrom('2024 sales')).toBe('model_2024_sales');
  });
});
