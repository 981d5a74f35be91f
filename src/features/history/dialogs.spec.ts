import { nullTranslator } from '@jupyterlab/translation';

import { SELECTORS } from '../selectors';
import { ImportDialogBody, NameOwner } from './dialogs';

const trans = nullTranslator.load('mlworkbench');

function body(format: 'csv' | 'excel', owner: (name: string) => NameOwner) {
  return new ImportDialogBody(trans, {
    filename: format === 'csv' ? 'sales.csv' : 'book.xlsx',
    format,
    name: 'sales',
    owner
  });
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('ImportDialogBody', () => {
  it('offers a new version only when a table has the name', () => {
    const owners: { [name: string]: NameOwner } = {
      sales: 'table',
      orders: 'source'
    };
    const dialog = body('csv', name => owners[name] ?? null);
    const name = dialog.node.querySelector<HTMLInputElement>(
      SELECTORS.importDialogName
    )!;
    const overwrite = dialog.node.querySelector<HTMLInputElement>(
      SELECTORS.importDialogOverwrite
    )!;
    const note = () =>
      dialog.node.querySelector('.mlwb-ImportDialog-note')!.textContent;
    expect(name.value).toBe('sales');
    expect(note()).toContain('exists');
    expect(overwrite.parentElement!.style.display).toBe('');
    overwrite.checked = true;
    expect(dialog.getValue()).toEqual({
      name: 'sales',
      sheet: null,
      overwrite: true
    });

    type(name, 'orders');
    expect(note()).toContain('choose another name');
    expect(overwrite.parentElement!.style.display).toBe('none');
    // A checked box left over from another name does not overwrite a source.
    expect(dialog.getValue().overwrite).toBe(false);

    type(name, ' fresh ');
    expect(note()).toBe('');
    expect(dialog.getValue()).toEqual({
      name: 'fresh',
      sheet: null,
      overwrite: false
    });
    expect(dialog.node.querySelector(SELECTORS.importDialogSheet)).toBeNull();
  });

  it('asks for the sheet of an Excel workbook', () => {
    const dialog = body('excel', () => null);
    const sheet = dialog.node.querySelector<HTMLInputElement>(
      SELECTORS.importDialogSheet
    )!;
    expect(dialog.getValue().sheet).toBeNull();
    sheet.value = '2024';
    expect(dialog.getValue().sheet).toBe('2024');
  });
});
