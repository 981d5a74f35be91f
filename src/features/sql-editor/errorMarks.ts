/**
 * Marks the line (and column) of a SQL error in the editor, from the server's
 * `detail.line` / `detail.column` (both 1-based).
 */
import {
  EditorState,
  Extension,
  StateEffect,
  StateField,
  Text
} from '@codemirror/state';
import { Decoration, DecorationSet, EditorView } from '@codemirror/view';

export const ERROR_LINE_CLASS = 'mlwb-SqlEditor-errorLine';
export const ERROR_COLUMN_CLASS = 'mlwb-SqlEditor-errorColumn';

export interface IErrorPosition {
  /** 1-based line number. */
  line: number;
  /** 1-based column, or null when only the line is known. */
  column: number | null;
}

export interface IErrorRange {
  /** Document offset where the line starts. */
  lineFrom: number;
  /** Document offset of the marked character, or null (no column, or an empty line). */
  pos: number | null;
}

/**
 * Where to mark an error in a document. A line past the end marks the last line, a column
 * past the end of its line marks the line's last character.
 */
export function errorRange(doc: Text, position: IErrorPosition): IErrorRange {
  const lineNo = Math.min(Math.max(1, Math.floor(position.line)), doc.lines);
  const line = doc.line(lineNo);
  if (position.column === null || line.length === 0) {
    return { lineFrom: line.from, pos: null };
  }
  const offset =
    Math.min(Math.max(1, Math.floor(position.column)), line.length) - 1;
  return { lineFrom: line.from, pos: line.from + offset };
}

/** Set (or clear, with null) the error mark. */
export const setErrorMark = StateEffect.define<IErrorPosition | null>();

function decorationsFor(
  state: EditorState,
  position: IErrorPosition
): DecorationSet {
  const range = errorRange(state.doc, position);
  const marks = [
    Decoration.line({ class: ERROR_LINE_CLASS }).range(range.lineFrom)
  ];
  if (range.pos !== null) {
    marks.push(
      Decoration.mark({ class: ERROR_COLUMN_CLASS }).range(
        range.pos,
        range.pos + 1
      )
    );
  }
  return Decoration.set(marks, true);
}

export const errorMarkField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setErrorMark)) {
        next = effect.value
          ? decorationsFor(tr.state, effect.value)
          : Decoration.none;
      }
    }
    return next;
  },
  provide: field => EditorView.decorations.from(field)
});

/** The editor extension that holds the error mark. */
export function errorMarks(): Extension {
  return errorMarkField;
}

/** Mark the error's position in a view (null clears it) and scroll it into view. */
export function markError(
  view: EditorView,
  position: IErrorPosition | null
): void {
  const effects: StateEffect<unknown>[] = [setErrorMark.of(position)];
  if (position) {
    const range = errorRange(view.state.doc, position);
    effects.push(
      EditorView.scrollIntoView(range.pos ?? range.lineFrom, { y: 'center' })
    );
  }
  view.dispatch({ effects });
}

/** The document offsets of the current marks (for tests). */
export function markedRanges(
  state: EditorState
): { from: number; to: number; cls: string }[] {
  const out: { from: number; to: number; cls: string }[] = [];
  state
    .field(errorMarkField)
    .between(0, state.doc.length, (from, to, value) => {
      out.push({ from, to, cls: (value.spec.class as string) ?? '' });
    });
  return out;
}
