import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { asSqlEditor, SqlEditorWatcher } from './sqlEditors';

/** A widget shaped like the sql-editor feature's SqlEditorWidget. */
function fakeEditor(text: string) {
  const widget = new Widget() as Widget & {
    content: { text: string; model: { stateChanged: Signal<unknown, string> } };
  };
  widget.addClass('mlwb-SqlEditorPanel');
  const owner = {};
  widget.content = { text, model: { stateChanged: new Signal(owner) } };
  return widget;
}

describe('SqlEditorWatcher', () => {
  it('recognises SQL editors by their class and public API only', () => {
    expect(asSqlEditor(fakeEditor('SELECT 1'))?.content.text).toBe('SELECT 1');
    expect(asSqlEditor(new Widget())).toBeNull();
    const classOnly = new Widget();
    classOnly.addClass('mlwb-SqlEditorPanel');
    expect(asSqlEditor(classOnly)).toBeNull();
    expect(asSqlEditor(null)).toBeNull();
  });

  it('keeps the last current editor and reports each ended run once', () => {
    const ended = jest.fn();
    const watcher = new SqlEditorWatcher(ended);
    const editor = fakeEditor('SELECT 1');
    Widget.attach(editor, document.body);
    watcher.see(editor);
    watcher.see(editor); // seen twice, connected once
    watcher.see(new Widget()); // not an editor: the last editor stays
    expect(watcher.lastEditor).toBe(editor);

    editor.content.model.stateChanged.emit('running');
    expect(ended).not.toHaveBeenCalled();
    editor.content.model.stateChanged.emit('ready');
    editor.content.model.stateChanged.emit('error');
    expect(ended).toHaveBeenCalledTimes(2);

    editor.dispose();
    expect(watcher.lastEditor).toBeNull();
  });
});
