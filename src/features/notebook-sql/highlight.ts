/**
 * SQL highlighting of `%%sql` cells: a code cell whose first line is the `%%sql` magic is shown
 * in the SQL editor's dialect (PostgreSQL's, the closest to DuckDB), and in the kernel's language
 * again once the magic is gone. Completion in those cells comes from the kernel.
 *
 * The language is a CodeMirror extension of every cell editor rather than the cell model's
 * `mimeType`: the notebook resets every cell's `mimeType` when the kernel's language info
 * arrives, and the editor loads the language of a `mimeType` asynchronously, so a SQL type set
 * just after the kernel's could lose to the kernel language's late load. An extension at the
 * highest precedence wins over whatever language JupyterLab configures, whenever it does so.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { CodeEditor } from '@jupyterlab/codeeditor';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry
} from '@jupyterlab/codemirror';
import {
  Compartment,
  EditorState,
  Extension,
  Prec,
  Text
} from '@codemirror/state';
import { EditorView } from '@codemirror/view';

import { sqlLanguage } from '../sql-editor/sqlLanguage';

/** On the `.cm-editor` of a cell shown as SQL (its `.cm-content` has `data-language="sql"`). */
export const SQL_CELL_CLASS = 'mlwb-sqlCell';

const MAGIC = /^%%sql(\s|$)/;
const MAGIC_LENGTH = '%%sql'.length + 1;

/**
 * Whether a cell is a `%%sql` cell: its first line is the magic, alone or with options.
 * Reads only the first few characters, so it costs the same for any cell.
 */
export function isSqlCell(source: string | Text): boolean {
  const start =
    typeof source === 'string'
      ? source.slice(0, MAGIC_LENGTH)
      : source.sliceString(0, MAGIC_LENGTH);
  return MAGIC.test(start);
}

/** Whether an editor model is a code cell's (not a file editor's or a markdown cell's). */
export function isCodeCell(model: CodeEditor.IModel): boolean {
  return (model as { type?: string }).type === 'code';
}

let sqlSupport: Extension | null = null;

/** The SQL language and the marker class, built once for every cell. */
function sqlCellSupport(): Extension {
  sqlSupport ??= [
    sqlLanguage({}),
    EditorView.editorAttributes.of({ class: SQL_CELL_CLASS })
  ];
  return sqlSupport;
}

/**
 * The extension of one cell editor: SQL while the first line is `%%sql`, nothing otherwise.
 *
 * Args:
 *   initiallySql: Whether the cell's source is a `%%sql` cell when its editor is created.
 *
 * Returns:
 *   A compartment at the highest precedence and a transaction extender that swaps its content
 *   when an edit (typing, paste, undo, a collaborator) adds or removes the magic.
 */
export function sqlCellExtension(initiallySql: boolean): Extension {
  const compartment = new Compartment();
  return [
    Prec.highest(compartment.of(initiallySql ? sqlCellSupport() : [])),
    EditorState.transactionExtender.of(transaction => {
      if (!transaction.docChanged) {
        return null;
      }
      const wasSql =
        compartment.get(transaction.startState) === sqlCellSupport();
      const nowSql = isSqlCell(transaction.newDoc);
      if (wasSql === nowSql) {
        return null;
      }
      return {
        effects: compartment.reconfigure(nowSql ? sqlCellSupport() : [])
      };
    })
  ];
}

/** Shows `%%sql` cells (of notebooks and consoles) as SQL. */
export const notebookSqlHighlightPlugin: JupyterFrontEndPlugin<void> = {
  id: 'mlworkbench:notebook-sql-highlight',
  description: 'Highlights %%sql cells as SQL.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  activate: (_app: JupyterFrontEnd, extensions: IEditorExtensionRegistry) => {
    extensions.addExtension({
      name: 'mlworkbench:sql-cells',
      factory: ({ model }) =>
        isCodeCell(model)
          ? EditorExtensionRegistry.createImmutableExtension(
              sqlCellExtension(isSqlCell(model.sharedModel.getSource()))
            )
          : null
    });
  }
};
