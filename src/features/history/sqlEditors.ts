/**
 * The SQL editors in the main area, seen from outside the sql-editor feature: their text
 * (to save a query) and the end of each run (to refresh the history). The sql-editor plugin
 * exposes no tracker, so this reads the public API of its widget (`content.text`,
 * `content.model.stateChanged`) on main-area widgets that carry its class.
 */
import { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { SELECTORS } from '../selectors';

/** The class every SQL editor widget carries. */
const EDITOR_CLASS = SELECTORS.sqlEditorPanel.replace(/^\./, '');

/** What this feature uses of a SQL editor widget. */
export interface ISqlEditorLike extends Widget {
  content: {
    text: string;
    model: { stateChanged: ISignal<unknown, string> };
  };
}

/** The widget as a SQL editor, or null when it is something else. */
export function asSqlEditor(
  widget: Widget | null | undefined
): ISqlEditorLike | null {
  const content = (widget as Partial<ISqlEditorLike> | null)?.content;
  return widget &&
    widget.hasClass(EDITOR_CLASS) &&
    content &&
    typeof content.text === 'string' &&
    content.model?.stateChanged
    ? (widget as ISqlEditorLike)
    : null;
}

/** States in which a run has ended (the history has a new entry). */
const ENDED = new Set(['ready', 'counting', 'error', 'cancelled']);

/**
 * Keeps the last SQL editor that was current, and calls `onRunEnded` when a run of any
 * editor it has seen ends.
 */
export class SqlEditorWatcher {
  constructor(private readonly _onRunEnded: () => void) {}

  /** The current editor, else the last one that was current and is still open. */
  get lastEditor(): ISqlEditorLike | null {
    const last = this._last;
    return last && !last.isDisposed && last.isAttached ? last : null;
  }

  /** Look at a widget that became current (the shell's `currentChanged`). */
  see(widget: Widget | null | undefined): void {
    const editor = asSqlEditor(widget);
    if (!editor) {
      return;
    }
    this._last = editor;
    if (!this._watched.has(editor)) {
      this._watched.add(editor);
      editor.content.model.stateChanged.connect(this._onState, this);
    }
  }

  private _onState(_: unknown, state: string): void {
    if (ENDED.has(state)) {
      this._onRunEnded();
    }
  }

  private _last: ISqlEditorLike | null = null;
  private _watched = new WeakSet<ISqlEditorLike>();
}
