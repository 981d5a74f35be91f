import { EditorState, Text } from '@codemirror/state';

import {
  ERROR_COLUMN_CLASS,
  ERROR_LINE_CLASS,
  errorMarks,
  errorRange,
  markedRanges,
  setErrorMark
} from './errorMarks';

const SQL = 'SELECT id,\n  custid\nFROM orders';

describe('errorRange', () => {
  const doc = Text.of(SQL.split('\n'));

  it('finds the 1-based line and column', () => {
    // Line 2 starts at offset 11; column 3 is the "c" of custid.
    expect(errorRange(doc, { line: 2, column: 3 })).toEqual({
      lineFrom: 11,
      pos: 13
    });
    expect(doc.sliceString(13, 14)).toBe('c');
  });

  it('marks only the line without a column', () => {
    expect(errorRange(doc, { line: 3, column: null })).toEqual({
      lineFrom: 20,
      pos: null
    });
  });

  it('clamps positions past the end', () => {
    expect(errorRange(doc, { line: 99, column: 1 })).toEqual({
      lineFrom: 20,
      pos: 20
    });
    expect(errorRange(doc, { line: 1, column: 500 })).toEqual({
      lineFrom: 0,
      pos: 9
    });
  });
});

describe('error mark field', () => {
  it('adds a line decoration and a column mark, and clears them', () => {
    let state = EditorState.create({ doc: SQL, extensions: [errorMarks()] });
    state = state.update({
      effects: setErrorMark.of({ line: 2, column: 3 })
    }).state;
    expect(markedRanges(state)).toEqual([
      { from: 11, to: 11, cls: ERROR_LINE_CLASS },
      { from: 13, to: 14, cls: ERROR_COLUMN_CLASS }
    ]);
    state = state.update({ effects: setErrorMark.of(null) }).state;
    expect(markedRanges(state)).toEqual([]);
  });

  it('follows the text when lines are inserted above', () => {
    let state = EditorState.create({ doc: SQL, extensions: [errorMarks()] });
    state = state.update({
      effects: setErrorMark.of({ line: 2, column: 3 })
    }).state;
    state = state.update({ changes: { from: 0, insert: '-- note\n' } }).state;
    const [line, column] = markedRanges(state);
    expect(state.doc.lineAt(line.from).number).toBe(3);
    expect(state.sliceDoc(column.from, column.to)).toBe('c');
  });
});
