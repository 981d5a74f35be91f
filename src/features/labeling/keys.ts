/**
 * The labeler's keys: what a key press does, apart from any DOM (tested on its own), and the
 * key help shown under the item.
 */
import { TranslationBundle } from '@jupyterlab/translation';

export type LabelerAction =
  | { kind: 'pick'; choice: number }
  | { kind: 'confirm' }
  | { kind: 'skip' }
  | { kind: 'undo' }
  | { kind: 'next' }
  | { kind: 'previous' };

/** The fields of a key event the labeler reads. */
export interface IKeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/**
 * The action of a key press, or null (the key is left to the browser and JupyterLab).
 * Keys with Ctrl, Meta or Alt are never taken: they are JupyterLab's shortcuts. Up and down
 * arrows are left to scroll a long item.
 */
export function actionOf(
  press: IKeyPress,
  choiceCount: number
): LabelerAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) {
    return null;
  }
  const key = press.key;
  if (/^[1-9]$/.test(key)) {
    const choice = Number(key) - 1;
    return choice < choiceCount ? { kind: 'pick', choice } : null;
  }
  switch (key) {
    case 'Enter':
      return { kind: 'confirm' };
    case 's':
    case 'S':
      return { kind: 'skip' };
    case 'u':
    case 'U':
    case 'Backspace':
      return { kind: 'undo' };
    case 'ArrowRight':
      return { kind: 'next' };
    case 'ArrowLeft':
      return { kind: 'previous' };
    default:
      return null;
  }
}

/** The key help: [keys, what they do], worded for single- or multi-label sets. */
export function keyHelp(
  multi: boolean,
  choiceCount: number,
  trans: TranslationBundle
): [string, string][] {
  const digits = choiceCount > 1 ? `1-${Math.min(9, choiceCount)}` : '1';
  return [
    multi
      ? [digits, trans.__('toggle a label (several may be picked)')]
      : [digits, trans.__('pick a label: saved at once, next item')],
    multi
      ? ['Enter', trans.__('save the picked labels, next item')]
      : ['Enter', trans.__('keep the label already saved, next item')],
    ['S', trans.__('skip (left unlabeled)')],
    ['U / Backspace', trans.__('undo my last label or skip')],
    ['← / →', trans.__('previous / next item without labeling')]
  ];
}
