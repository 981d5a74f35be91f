"""``%sql`` and ``%%sql``: parse the arguments into a model, then hand them to the runner."""

from __future__ import annotations

from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlworkbench.magics.result import SqlResult


@magics_class
class SqlMagics(Magics):
    """SQL over the shared workspace, in the kernel's own DuckDB."""

    @no_var_expand  # $name is a DuckDB parameter: IPython must not paste the value in
    @line_cell_magic
    def sql(self, line: str, cell: str | None = None) -> SqlResult | None:
        """Run SQL over the workspace.

        Options: ``-o VAR`` (``--polars``, ``--arrow``), ``--save-table NAME [--overwrite]``,
        ``--name QNAME``, ``-p name=value``, ``--workspace PATH``. ``$name`` binds the Python
        variable ``name``; DataFrames and Arrow tables are queryable by their variable name.

        Returns:
            The result (displayed), or None when ``-o`` assigned it or only ``--workspace`` was
            given.

        Raises:
            CellError: Shown as one line: bad options, missing variables, DuckDB errors.
        """
        # Imported on the first cell, not at %load_ext: DuckDB, pydantic and the core take
        # a few hundred ms to import.
        from mlworkbench.magics.arguments import parse
        from mlworkbench.notebook import runner

        args = parse(line, cell)
        state = runner()
        if args.workspace:
            state.use(args.workspace)
            if not args.sql.strip():
                return None
        result = state.run(
            args.sql,
            self.shell.user_ns,
            out=args.out,
            output=args.output,
            save_table=args.save_table,
            overwrite=args.overwrite,
            name=args.name,
            params=args.params,
        )
        if args.out:
            self.shell.user_ns[args.out] = result.frame if result.frame is not None else result.df()
        return result
