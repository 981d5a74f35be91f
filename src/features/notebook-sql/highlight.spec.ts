import {
  language,
  LanguageSupport,
  StreamLanguage,
  syntaxTree
} from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { CodeEditor } from '@jupyterlab/codeeditor';

import { isCodeCell, isSqlCell, sqlCellExtension } from './highlight';

/** Stands for the kernel's language, as JupyterLab configures it from the cell's mimeType. */
function python(): LanguageSupport {
  return new LanguageSupport(
    StreamLanguage.define({
      name: 'python',
      token: stream => {
        stream.skipToEnd();
        return null;
      }
    })
  );
}

/** A cell editor's state: the kernel's language (as JupyterLab configures it) and ours. */
function cell(doc: string): EditorState {
  return EditorState.create({
    doc,
    extensions: [python(), sqlCellExtension(isSqlCell(doc))]
  });
}

function languageOf(state: EditorState): string | undefined {
  return state.facet(language)?.name;
}

describe('isSqlCell', () => {
  it.each([
    ['%%sql\nSELECT 1', true],
    ['%%sql', true],
    ['%%sql -o df --save-table t\nSELECT 1', true],
    ['%%sql\tSELECT 1', true],
    ['%%sqlite\nSELECT 1', false],
    [' %%sql\nSELECT 1', false],
    ['x = 1\n%%sql', false],
    ['%sql SELECT 1', false],
    ['', false]
  ])('%j is a SQL cell: %s', (source, expected) => {
    expect(isSqlCell(source)).toBe(expected);
  });

  it('reads the same from a CodeMirror document', () => {
    expect(isSqlCell(cell('%%sql\nSELECT 1').doc)).toBe(true);
    expect(isSqlCell(cell('print(1)').doc)).toBe(false);
  });
});

describe('isCodeCell', () => {
  it('accepts code cell models only', () => {
    expect(isCodeCell({ type: 'code' } as unknown as CodeEditor.IModel)).toBe(
      true
    );
    expect(
      isCodeCell({ type: 'markdown' } as unknown as CodeEditor.IModel)
    ).toBe(false);
    expect(isCodeCell({} as CodeEditor.IModel)).toBe(false);
  });
});

describe('sqlCellExtension', () => {
  it('shows a %%sql cell as SQL and other cells in the kernel language', () => {
    expect(languageOf(cell('%%sql\nSELECT 1'))).toBe('sql');
    expect(languageOf(cell('import os'))).toBe('python');
  });

  it('switches to SQL when the magic is typed or pasted', () => {
    let state = cell('SELECT 1');
    state = state.update({ changes: { from: 0, insert: '%%sq' } }).state;
    expect(languageOf(state)).toBe('python');
    state = state.update({ changes: { from: 4, insert: 'l\n' } }).state;
    expect(languageOf(state)).toBe('sql');
    const pasted = cell('').update({
      changes: { from: 0, insert: '%%sql\nSELECT * FROM orders' }
    }).state;
    expect(languageOf(pasted)).toBe('sql');
  });

  it('switches back when the magic is removed', () => {
    let state = cell('%%sql\nSELECT 1');
    state = state.update({ changes: { from: 0, to: 6 } }).state;
    expect(languageOf(state)).toBe('python');
  });

  it('keeps SQL while the rest of the cell is edited', () => {
    let state = cell('%%sql\nSELECT 1');
    state = state.update({ changes: { from: 14, insert: ' AS x' } }).state;
    expect(languageOf(state)).toBe('sql');
    expect(state.doc.toString()).toBe('%%sql\nSELECT 1 AS x');
  });

  it('wins over the language JupyterLab configures later (a kernel change)', () => {
    // The editor reconfigures its own language compartment when the cell's mimeType changes.
    const state = EditorState.create({
      doc: '%%sql\nSELECT 1',
      extensions: [sqlCellExtension(true), python()]
    });
    expect(languageOf(state)).toBe('sql');
  });

  it('parses the SQL with keywords as keywords', () => {
    const state = cell('%%sql\nSELECT amount FROM orders');
    const names: string[] = [];
    syntaxTree(state).iterate({
      enter: node => {
        names.push(node.name);
      }
    });
    expect(names).toEqual(expect.arrayContaining(['Keyword', 'Identifier']));
  });
});
