"""``mlworkbench score``: score a query with a published model into a workspace table.

Example::

    mlworkbench score "SELECT * FROM customers" churn@production --into scored_customers
    mlworkbench score -f today.sql churn@2 --into scored --column churn --probabilities

The rows of the query and the model's prediction column are written as a new version of the
table (``ws.scoring.score``; the version's lineage names the model version and its sha256).
A run over a second shows a progress bar on stderr. Bad input prints the message and exits 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("args", nargs=-1, metavar="[SQL] MODEL")
@click.option("-f", "--file", "sql_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the SELECT from a file (then give only MODEL).")
@click.option("--into", required=True, metavar="TABLE",
              help="The workspace table to write (created, or given a new version).")
@click.option("--column", default="prediction", show_default=True,
              help="The prediction column's name.")
@click.option("--probabilities", is_flag=True,
              help="Also write COLUMN_<class> probability columns (classifiers).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A $NAME parameter, bound by DuckDB (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def score(ctx: click.Context, args: tuple[str, ...], sql_file: str | None, into: str,
          column: str, probabilities: bool, params: tuple[str, ...], as_json: bool) -> None:
    """Score the rows of SQL with MODEL (name@alias, name@VERSION or name) into a table."""
    from mlworkbench.cli import _open, _parameter

    if len(args) != (1 if sql_file else 2):
        raise click.UsageError("Give the SELECT and the model: score \"SELECT ...\" MODEL "
                               "--into TABLE (or score -f FILE MODEL --into TABLE).")
    sql, model = (Path(sql_file).read_text(), args[0]) if sql_file else args
    parameters = dict(_parameter(p) for p in params) if params else None
    bar: dict[str, object] = {}

    def progress(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = click.progressbar(length=total, label="Scoring", file=sys.stderr)
            bar["bar"].__enter__()
            bar["done"] = 0
        bar["bar"].update(done - bar["done"])
        bar["done"] = done

    try:
        result = _open(ctx).scoring.score(sql, model, into=into, column=column,
                                          probabilities=probabilities, parameters=parameters,
                                          progress=progress)
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    click.echo(f"Scored {result.rows:,} rows with {result.model} v{result.version} into "
               f"{result.table.name} (version {result.table.version}).")
