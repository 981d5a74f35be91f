import { nullTranslator } from '@jupyterlab/translation';

import { actionOf, IKeyPress, keyHelp } from './keys';

describe('actionOf', () => {
  it('maps 1-9 to the choices there are', () => {
    expect(actionOf({ key: '1' }, 3)).toEqual({ kind: 'pick', choice: 0 });
    expect(actionOf({ key: '3' }, 3)).toEqual({ kind: 'pick', choice: 2 });
    expect(actionOf({ key: '4' }, 3)).toBeNull();
    expect(actionOf({ key: '0' }, 10)).toBeNull();
  });

  it('maps Enter, S, U, Backspace and the left/right arrows', () => {
    expect(actionOf({ key: 'Enter' }, 2)?.kind).toBe('confirm');
    expect(actionOf({ key: 's' }, 2)?.kind).toBe('skip');
    expect(actionOf({ key: 'S' }, 2)?.kind).toBe('skip');
    expect(actionOf({ key: 'u' }, 2)?.kind).toBe('undo');
    expect(actionOf({ key: 'Backspace' }, 2)?.kind).toBe('undo');
    expect(actionOf({ key: 'ArrowRight' }, 2)?.kind).toBe('next');
    expect(actionOf({ key: 'ArrowLeft' }, 2)?.kind).toBe('previous');
    expect(actionOf({ key: 'ArrowDown' }, 2)).toBeNull();
  });

  it('leaves JupyterLab’s shortcuts alone', () => {
    expect(actionOf({ key: 's', ctrlKey: true }, 2)).toBeNull();
    expect(actionOf({ key: '1', metaKey: true }, 2)).toBeNull();
    expect(actionOf({ key: 'Enter', altKey: true }, 2)).toBeNull();
  });
});

describe('keyHelp', () => {
  const trans = nullTranslator.load('mlworkbench');
  it('words the digits for single- and multi-label sets', () => {
    expect(keyHelp(false, 3, trans)[0]).toEqual([
      '1-3',
      'pick a label: saved at once, next item'
    ]);
    expect(keyHelp(true, 12, trans)[0][0]).toBe('1-9');
    expect(keyHelp(true, 2, trans)[1][1]).toMatch(/save the picked labels/);
  });
});

/**
 * The notebook labeler (the anywidget `mlwb.label`) is plain JavaScript served as it is, so it
 * keeps its own copy of the key table: it must do what the panel's keys do, key for key.
 */
const widget = jest.requireActual<{
  actionOf: (
    press: IKeyPress & { shiftKey?: boolean },
    choiceCount: number
  ) => { action: string; choice?: number } | null;
}>('../../../mlworkbench/widgets/labeler.js');

describe('the notebook widget’s keys (mlworkbench/widgets/labeler.js)', () => {
  it('act as the panel’s for every key, modifier and number of choices', () => {
    const printable = Array.from({ length: 95 }, (_, i) =>
      String.fromCharCode(32 + i)
    );
    const named = [
      'Enter',
      'Backspace',
      'Delete',
      'Escape',
      'Tab',
      'ArrowRight',
      'ArrowLeft',
      'ArrowUp',
      'ArrowDown',
      'Home',
      'End',
      'PageUp',
      'PageDown',
      'F1'
    ];
    const modifiers = [
      {},
      { shiftKey: true },
      { ctrlKey: true },
      { metaKey: true },
      { altKey: true }
    ];
    const differ: string[] = [];
    let acted = 0;
    for (const key of [...printable, ...named]) {
      for (const modifier of modifiers) {
        for (let choices = 0; choices <= 10; choices++) {
          const press = { key, ...modifier };
          const panel = actionOf(press, choices);
          const expected =
            panel === null
              ? null
              : panel.kind === 'pick'
                ? { action: 'pick', choice: panel.choice }
                : { action: panel.kind };
          const got = widget.actionOf(press, choices);
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            differ.push(
              `${JSON.stringify(press)} with ${choices} choices: widget ${JSON.stringify(got)}, panel ${JSON.stringify(expected)}`
            );
          }
          acted += panel ? 1 : 0;
        }
      }
    }
    expect(differ).toEqual([]);
    // Both tables act on 1-9, Enter, S, U, Backspace and the side arrows.
    expect(acted).toBeGreaterThan(200);
  });
});
