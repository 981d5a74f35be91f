import {
  CompletionContext,
  CompletionResult,
  CompletionSource
} from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';

import { SqlLanguageSupport } from './sqlLanguage';

const SCHEMA = {
  orders: ['id', 'customer', 'amount'],
  customers: ['id', 'name']
};

async function complete(doc: string): Promise<string[]> {
  const state = EditorState.create({
    doc,
    extensions: [new SqlLanguageSupport().extension(SCHEMA)]
  });
  const sources = state.languageDataAt<CompletionSource>(
    'autocomplete',
    doc.length
  );
  const labels: string[] = [];
  for (const source of sources) {
    const result = (await source(
      new CompletionContext(state, doc.length, true)
    )) as CompletionResult | null;
    result?.options.forEach(option => labels.push(option.label));
  }
  return labels;
}

describe('SQL completion', () => {
  it('completes table names from the catalog', async () => {
    const labels = await complete('SELECT * FROM ord');
    expect(labels).toEqual(expect.arrayContaining(['orders', 'customers']));
  });

  it("completes a table's columns after a dot", async () => {
    const labels = await complete('SELECT orders.');
    expect(labels).toEqual(
      expect.arrayContaining(['id', 'customer', 'amount'])
    );
    expect(labels).not.toContain('name');
  });

  it('completes SQL keywords in upper case', async () => {
    expect(await complete('SEL')).toContain('SELECT');
  });
});
