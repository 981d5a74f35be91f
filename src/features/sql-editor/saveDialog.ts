/** The "Save as table" dialog: a table name and an overwrite checkbox. */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

export interface ISaveTableValue {
  name: string;
  overwrite: boolean;
}

/** SQL-friendly table names: letters, digits and underscores, not starting with a digit. */
export function isValidTableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name);
}

class SaveTableBody
  extends Widget
  implements Dialog.IBodyWidget<ISaveTableValue>
{
  constructor(trans: TranslationBundle, initialName: string) {
    super();
    this.addClass('mlwb-SaveDialog');
    const nameLabel = document.createElement('label');
    nameLabel.textContent = trans.__('Table name');
    this._name = document.createElement('input');
    this._name.className = 'jp-mod-styled mlwb-SaveDialog-name';
    this._name.value = initialName;
    this._name.placeholder = 'my_table';
    nameLabel.appendChild(this._name);

    const overwriteLabel = document.createElement('label');
    overwriteLabel.className = 'mlwb-SaveDialog-overwriteLabel';
    this._overwrite = document.createElement('input');
    this._overwrite.type = 'checkbox';
    this._overwrite.className = 'mlwb-SaveDialog-overwrite';
    overwriteLabel.appendChild(this._overwrite);
    overwriteLabel.appendChild(
      document.createTextNode(
        trans.__('Write a new version if the table exists')
      )
    );
    this.node.append(nameLabel, overwriteLabel);
  }

  getValue(): ISaveTableValue {
    return {
      name: this._name.value.trim(),
      overwrite: this._overwrite.checked
    };
  }

  protected onAfterAttach(): void {
    this._name.focus();
    this._name.select();
  }

  private _name: HTMLInputElement;
  private _overwrite: HTMLInputElement;
}

/** Ask for a table name; null when cancelled. */
export async function askTableName(
  trans: TranslationBundle,
  initialName = ''
): Promise<ISaveTableValue | null> {
  const result = await showDialog<ISaveTableValue>({
    title: trans.__('Save Result as Table'),
    body: new SaveTableBody(trans, initialName),
    focusNodeSelector: '.mlwb-SaveDialog-name',
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save') })
    ]
  });
  return result.button.accept && result.value ? result.value : null;
}

/**
 * A 409: ask whether to write a new version of the existing table. The server's message is not
 * shown: it is written for API callers ("pass overwrite=true").
 */
export async function confirmNewVersion(
  trans: TranslationBundle,
  name: string
): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Table %1 exists', name),
    body: trans.__(
      'The workspace already has a table named %1. Write a new version of it? The previous versions are kept.',
      name
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Write New Version') })
    ]
  });
  return result.button.accept;
}
