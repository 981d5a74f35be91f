import { nullTranslator } from '@jupyterlab/translation';

import { actionOf, keyHelp } from './keys';

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
