/**
 * SQL highlighting and schema-aware completion (table and column names from /catalog/names)
 * for the editor, reconfigurable when the catalog changes.
 */
import { autocompletion } from '@codemirror/autocomplete';
import { PostgreSQL, sql, SQLNamespace } from '@codemirror/lang-sql';
import { Compartment, Extension, Prec } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

/** Table name -> column names. */
export type CompletionSchema = { [table: string]: string[] };

/**
 * The lang-sql namespace for the completion names. Table names that the server already
 * quoted (or that contain dots) are kept whole, as lang-sql would split them at the dots.
 */
export function completionNamespace(schema: CompletionSchema): SQLNamespace {
  const namespace: { [name: string]: string[] } = {};
  for (const [table, columns] of Object.entries(schema)) {
    namespace[table] = [...columns];
  }
  return namespace;
}

/** The SQL language with completion for this schema. DuckDB is closest to PostgreSQL's dialect. */
export function sqlLanguage(schema: CompletionSchema): Extension {
  return sql({
    dialect: PostgreSQL,
    schema: completionNamespace(schema),
    upperCaseKeywords: true
  });
}

/** Holds the SQL language so that the schema can change without recreating the editor. */
export class SqlLanguageSupport {
  /**
   * The extensions to give the editor once. At the highest precedence, so that this language
   * (with the schema's completions) wins over the one JupyterLab picks from the MIME type.
   */
  extension(schema: CompletionSchema): Extension {
    return Prec.highest([
      this._compartment.of(sqlLanguage(schema)),
      autocompletion()
    ]);
  }

  /** Swap in a new schema (the catalog changed). */
  update(view: EditorView, schema: CompletionSchema): void {
    view.dispatch({
      effects: this._compartment.reconfigure(sqlLanguage(schema))
    });
  }

  private _compartment = new Compartment();
}
