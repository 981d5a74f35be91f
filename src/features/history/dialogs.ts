/** Dialogs of the history feature: a name for a saved query, import options, confirmations. */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { ImportFormat } from './imports';

/** What a name already belongs to (DuckDB compares names without case). */
export type NameOwner = 'table' | 'source' | null;

/** Ask for one name; null when cancelled or left empty. */
export async function askName(
  trans: TranslationBundle,
  options: { title: string; label: string; value: string; accept: string }
): Promise<string | null> {
  const body = new Widget({ node: document.createElement('label') });
  body.addClass('mlwb-NameDialog');
  body.node.textContent = options.label;
  const input = document.createElement('input');
  input.className = 'mlwb-NameDialog-name jp-mod-styled';
  input.value = options.value;
  body.node.appendChild(input);
  const result = await showDialog({
    title: options.title,
    body,
    focusNodeSelector: 'input',
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: options.accept })
    ]
  });
  const value = input.value.trim();
  return result.button.accept && value ? value : null;
}

/** Ask yes or no; the accept button warns. */
export async function confirm(options: {
  title: string;
  body: string;
  accept: string;
  cancel: string;
}): Promise<boolean> {
  const result = await showDialog({
    title: options.title,
    body: options.body,
    buttons: [
      Dialog.cancelButton({ label: options.cancel }),
      Dialog.warnButton({ label: options.accept })
    ]
  });
  return result.button.accept;
}

export interface IImportChoice {
  name: string;
  /** Excel: the sheet (null: the first). */
  sheet: string | null;
  /** Write a new version of an existing table. */
  overwrite: boolean;
}

/** The body of the import dialog: the table name, the sheet (Excel), and "overwrite". */
export class ImportDialogBody extends Widget {
  constructor(
    private readonly _trans: TranslationBundle,
    options: {
      filename: string;
      format: ImportFormat;
      name: string;
      owner: (name: string) => NameOwner;
    }
  ) {
    super();
    this._owner = options.owner;
    this.addClass('mlwb-ImportDialog');
    const trans = _trans;
    const label = document.createElement('label');
    label.textContent = trans.__('Table name');
    this._name = document.createElement('input');
    this._name.className = 'mlwb-ImportDialog-name jp-mod-styled';
    this._name.value = options.name;
    this._name.addEventListener('input', () => this._update());
    label.appendChild(this._name);
    this.node.appendChild(label);

    if (options.format === 'excel') {
      const sheetLabel = document.createElement('label');
      sheetLabel.textContent = trans.__('Sheet (empty: the first)');
      this._sheet = document.createElement('input');
      this._sheet.className = 'mlwb-ImportDialog-sheet jp-mod-styled';
      sheetLabel.appendChild(this._sheet);
      this.node.appendChild(sheetLabel);
    }

    this._note = document.createElement('div');
    this._note.className = 'mlwb-ImportDialog-note';
    this.node.appendChild(this._note);
    const overwriteLabel = document.createElement('label');
    overwriteLabel.className = 'mlwb-ImportDialog-overwriteLabel';
    this._overwrite = document.createElement('input');
    this._overwrite.type = 'checkbox';
    this._overwrite.className = 'mlwb-ImportDialog-overwrite';
    overwriteLabel.appendChild(this._overwrite);
    overwriteLabel.appendChild(
      document.createTextNode(
        ' ' + trans.__('Import as a new version of this table')
      )
    );
    this._overwriteLabel = overwriteLabel;
    this.node.appendChild(overwriteLabel);
    this._update();
  }

  getValue(): IImportChoice {
    const sheet = this._sheet?.value.trim() ?? '';
    return {
      name: this._name.value.trim(),
      sheet: sheet || null,
      overwrite:
        this._owner(this._name.value.trim()) === 'table' &&
        this._overwrite.checked
    };
  }

  private _update(): void {
    const trans = this._trans;
    const name = this._name.value.trim();
    const owner = name ? this._owner(name) : null;
    this._note.textContent =
      owner === 'table'
        ? trans.__(
            'A table named "%1" exists: its old versions are kept.',
            name
          )
        : owner === 'source'
          ? trans.__('A source is named "%1": choose another name.', name)
          : '';
    this._overwriteLabel.style.display = owner === 'table' ? '' : 'none';
  }

  private _owner: (name: string) => NameOwner;
  private _name: HTMLInputElement;
  private _sheet: HTMLInputElement | null = null;
  private _note: HTMLDivElement;
  private _overwrite: HTMLInputElement;
  private _overwriteLabel: HTMLLabelElement;
}

/**
 * Ask how to import a file. Repeats while the name is taken and overwriting was not chosen.
 *
 * Returns:
 *   The choice, or null when cancelled.
 */
export async function askImport(
  trans: TranslationBundle,
  options: {
    filename: string;
    format: ImportFormat;
    name: string;
    owner: (name: string) => NameOwner;
  }
): Promise<IImportChoice | null> {
  let name = options.name;
  for (;;) {
    const body = new ImportDialogBody(trans, { ...options, name });
    const result = await showDialog<IImportChoice>({
      title: trans.__('Import %1', options.filename),
      body,
      focusNodeSelector: '.mlwb-ImportDialog-name',
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Import') })
      ]
    });
    const choice = result.value;
    if (!result.button.accept || !choice || !choice.name) {
      return null;
    }
    const owner = options.owner(choice.name);
    if (owner === null || (owner === 'table' && choice.overwrite)) {
      return choice;
    }
    name = choice.name; // ask again: the note says why
  }
}
