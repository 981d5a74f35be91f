"""The ``mlworkbench`` command: the same core calls as the panel, from a shell.

Examples::

    mlworkbench sources add data/orders.parquet
    mlworkbench sql "SELECT count(*) FROM orders"
    mlworkbench sql -f report.sql --save monthly --overwrite
    mlworkbench tables list
    mlworkbench queries save monthly -f report.sql --title "Monthly revenue"
    mlworkbench import sales.xlsx --table sales --sheet 2024
    mlworkbench train "SELECT * FROM customers" --target churned --budget 2m
    mlworkbench runs show 3
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mlworkbench.core.errors import WorkbenchError


def _open(ctx: click.Context):
    from mlworkbench.core import Workspace

    obj = ctx.find_root().obj
    if "workspace" not in obj:
        root = Path(obj["root"]).resolve()
        obj["workspace"] = Workspace.open(
            obj["path"], root_dir=root, allow_outside_root=obj["allow_outside_root"]
        )
        ctx.call_on_close(obj["workspace"].close)
    return obj["workspace"]


class _Group(click.Group):
    """Turns a WorkbenchError into its message and a non-zero exit, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as e:
            where = ""
            if e.detail.get("line"):
                where = f" (line {e.detail['line']}, column {e.detail.get('column', '?')})"
            click.echo(f"Error{where}: {e.message}", err=True)
            sys.exit(2 if e.status < 500 else 1)


@click.group(cls=_Group)
@click.option("--workspace", "path", envvar="MLWORKBENCH_HOME", default=None,
              help="Workspace directory (default: $MLWORKBENCH_HOME or ./.mlworkbench).")
@click.option("--root", default=".", show_default=True,
              help="Directory that relative source paths are read from.")
@click.option("--allow-outside-root", is_flag=True, help="Allow sources outside --root.")
@click.pass_context
def main(ctx: click.Context, path: str | None, root: str, allow_outside_root: bool) -> None:
    """mlworkbench: DuckDB SQL over your files, from the shell."""
    ctx.obj = {"path": path, "root": root, "allow_outside_root": allow_outside_root}


@main.command()
@click.argument("sql", required=False)
@click.option("-f", "--file", "sql_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the SQL from a file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A $NAME parameter, bound by DuckDB (repeatable).")
@click.option("--limit", default=50, show_default=True, help="Rows to print.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--save", metavar="TABLE", help="Save the result as a workspace table.")
@click.option("--overwrite", is_flag=True, help="With --save: write a new version if it exists.")
@click.pass_context
def sql(ctx, sql, sql_file, params, limit, fmt, save, overwrite):
    """Run SQL against the workspace; print the first rows."""
    from mlworkbench.schemas import QuerySource, RunQueryRequest, SaveResultRequest

    text = Path(sql_file).read_text() if sql_file else sql
    if not text:
        raise click.UsageError("Give the SQL as an argument or with --file.")
    parameters = dict(_parameter(p) for p in params) if params else None
    ws = _open(ctx)
    result = ws.sql.run(
        RunQueryRequest(sql=text, parameters=parameters, page_size=limit), source=QuerySource.cli
    )
    names = [c.name for c in result.columns]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(names, row)) for row in result.rows], default=str))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(result.rows)
    else:
        _print_table(names, result.rows)
        if result.message:
            click.echo(result.message)
    if save:
        table = ws.results.save(result.session_id, SaveResultRequest(name=save, overwrite=overwrite))
        click.echo(f"Saved as '{table.name}' version {table.version} ({table.row_count} rows).",
                   err=True)


def _parameter(text: str) -> tuple[str, object]:
    """NAME=VALUE with VALUE read as JSON when it is (numbers, true, null), else as text."""
    if "=" not in text:
        raise click.BadParameter(f"'{text}' is not NAME=VALUE", param_hint="--param")
    name, value = text.split("=", 1)
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def _print_table(names: list[str], rows: list[list]) -> None:
    from mlworkbench.training_view import text_table

    for line in text_table(names, rows, null="NULL"):
        click.echo(line)


@main.group()
def sources() -> None:
    """Register, list and remove sources (files, globs, folders, DuckDB files)."""


@sources.command("add")
@click.argument("path")
@click.option("--name", help="SQL name (default: the file name).")
@click.pass_context
def sources_add(ctx, path, name):
    """Register PATH as a source."""
    from mlworkbench.schemas import RegisterSourceRequest

    source = _open(ctx).catalog.register_source(RegisterSourceRequest(path=path, name=name))
    tables = ", ".join(t.name for t in source.tables)
    click.echo(f"Registered {source.kind.value} source '{source.name}': {tables}")


@sources.command("list")
@click.pass_context
def sources_list(ctx):
    """List sources and their tables."""
    catalog = _open(ctx).catalog.describe()
    for source in catalog.sources:
        click.echo(f"{source.name}\t{source.kind.value}\t{source.path}")
        for table in source.tables:
            rows = "?" if table.row_count is None else table.row_count
            click.echo(f"  {table.name}\t{rows} rows\t{len(table.columns)} columns")


@sources.command("remove")
@click.argument("name")
@click.pass_context
def sources_remove(ctx, name):
    """Forget source NAME (its files stay where they are)."""
    _open(ctx).catalog.remove_source(name)
    click.echo(f"Removed source '{name}'.")


@main.group()
def tables() -> None:
    """List and inspect workspace tables (versioned Parquet)."""


@tables.command("list")
@click.pass_context
def tables_list(ctx):
    """List workspace tables with their current version."""
    for table in _open(ctx).catalog.describe().tables:
        click.echo(f"{table.name}\tv{table.version}\t{table.row_count} rows")


@tables.command("versions")
@click.argument("name")
@click.pass_context
def tables_versions(ctx, name):
    """Show every version of table NAME, newest first."""
    described = _open(ctx).tables.describe(name)
    for v in described.versions:
        click.echo(f"v{v.version}\t{v.row_count} rows\t{v.created_at:%Y-%m-%d %H:%M:%S}\t{v.path}")


@main.group()
def queries() -> None:
    """Saved queries: .sql files in the workspace's queries/ folder."""


@queries.command("list")
@click.pass_context
def queries_list(ctx):
    """List saved queries with their titles."""
    for query in _open(ctx).saved_queries.list().queries:
        title = f"\t{query.title}" if query.title else ""
        click.echo(f"{query.name}{title}")


@queries.command("show")
@click.argument("name")
@click.pass_context
def queries_show(ctx, name):
    """Print saved query NAME."""
    click.echo(_open(ctx).saved_queries.read(name).sql, nl=False)


@queries.command("save")
@click.argument("name")
@click.argument("sql", required=False)
@click.option("-f", "--file", "sql_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the SQL from a file.")
@click.option("--title", help="A title for the header comment.")
@click.option("--description", help="A description for the header comment.")
@click.option("--overwrite", is_flag=True, help="Replace a saved query of the same name.")
@click.pass_context
def queries_save(ctx, name, sql, sql_file, title, description, overwrite):
    """Save SQL (an argument or --file) as saved query NAME."""
    from mlworkbench.schemas import SaveQueryRequest

    text = Path(sql_file).read_text() if sql_file else sql
    if not text:
        raise click.UsageError("Give the SQL as an argument or with --file.")
    request = SaveQueryRequest(sql=text, overwrite=overwrite, title=title, description=description)
    saved = _open(ctx).saved_queries.save(name, request)
    click.echo(f"Saved query '{saved.name}'.", err=True)


@queries.command("delete")
@click.argument("name")
@click.pass_context
def queries_delete(ctx, name):
    """Delete saved query NAME."""
    _open(ctx).saved_queries.delete(name)
    click.echo(f"Deleted saved query '{name}'.", err=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--table", "--name", "name", help="Table (or source) name (default: the file name).")
@click.option("--sheet", help="Excel: the sheet to read (default: the first).")
@click.option("--source", "as_source", is_flag=True,
              help="Keep the file in the workspace and register it as a source instead.")
@click.option("--overwrite", is_flag=True, help="Write a new version of an existing table.")
@click.option("--encoding", type=click.Choice(["utf-8", "utf-16", "latin-1"]), default="utf-8",
              show_default=True, help="CSV: the file's encoding.")
@click.option("--ignore-errors", is_flag=True, help="CSV: skip lines that cannot be read.")
@click.pass_context
def import_(ctx, file, name, sheet, as_source, overwrite, encoding, ignore_errors):
    """Import FILE (CSV, Parquet, JSON, Excel) as a new workspace table version."""
    from mlworkbench.schemas import ImportFileRequest

    request = ImportFileRequest(
        filename=Path(file).name,
        name=name,
        mode="source" if as_source else "table",
        overwrite=overwrite,
        sheet=sheet,
        encoding=encoding,
        ignore_errors=ignore_errors,
    )
    done = _open(ctx).imports.import_file(file, request)
    what = "source" if as_source else "table"
    version = f" version {done.table.version}" if done.table else ""
    click.echo(f"Imported '{file}' as {what} '{done.name}'{version} ({done.row_count} rows, "
               f"{len(done.columns)} columns).")
    if done.rejected_rows:
        click.echo(f"Skipped {done.rejected_rows} lines that could not be read; first: line "
                   f"{done.rejected[0].line}: {done.rejected[0].error}", err=True)


@main.command()
@click.argument("table")
@click.option("--column", "columns", multiple=True, help="Profile only this column (repeatable).")
@click.option("--sample-threshold", default=5_000_000, show_default=True,
              help="Sample inputs with more rows than this.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole profile as JSON.")
@click.pass_context
def profile(ctx, table, columns, sample_threshold, as_json):
    """Profile the columns of TABLE (a source or workspace table): nulls, distinct counts,
    min/max/mean, top values."""
    from mlworkbench.core.data.profile_text import profile_text
    from mlworkbench.schemas import ProfileRequest

    request = ProfileRequest(table=table, columns=list(columns) or None,
                             sample_threshold=sample_threshold, charts=as_json)
    answer = _open(ctx).prep.profile(request)
    click.echo(answer.model_dump_json(indent=2) if as_json else profile_text(answer))


@main.group()
def labels() -> None:
    """Label sets and their Label Studio bridge ($LABEL_STUDIO_URL, $LABEL_STUDIO_API_KEY)."""


def _studio(ctx: click.Context):
    from mlworkbench.core.labeling.studio import Studio

    ws = _open(ctx)
    return Studio(ws.labels, ws.root_dir)


@labels.command("list")
@click.pass_context
def labels_list(ctx):
    """List label sets with their progress and Label Studio link."""
    for described in _open(ctx).labels.list():
        p = described.progress
        link = (described.links or {}).get("labelstudio")
        where = f"\tLabel Studio project {link['project_id']} at {link['url']}" if link else ""
        click.echo(f"{described.name}\t{p.labeled}/{p.total} labeled\t{described.kind}{where}")


@labels.command("connect")
@click.argument("name")
@click.option("--url", help="Label Studio's URL (default: $LABEL_STUDIO_URL).")
@click.option("--project", "project_id", type=int, help="Link this existing project.")
@click.pass_context
def labels_connect(ctx, name, url, project_id):
    """Link label set NAME to a Label Studio project (created unless --project)."""
    link = _studio(ctx).connect(name, url=url, project_id=project_id)
    click.echo(f"'{name}' is linked to {link.project_url}")


def _with_bar(label: str, run):
    """Run ``run(progress)`` with a progress bar on stderr (Ctrl-C stops it: pushing again
    resumes, a pull writes nothing until its end)."""
    from mlworkbench.core.tasks import Progress

    with click.progressbar(length=1, label=label, file=sys.stderr, show_pos=True) as bar:
        def show(progress: Progress) -> None:
            if progress.total:
                bar.length = progress.total
            bar.update(progress.done - bar.pos)

        return run(Progress(label, listener=show))


@labels.command("push")
@click.argument("name")
@click.option("--sql", help="A SELECT naming the items to push by key (default: the queue, "
              "else every item).")
@click.option("--batch-size", default=5000, show_default=True, help="Tasks per import call.")
@click.option("--predictions-from", type=click.Choice(["queue"]),
              help="Send the queue model's predictions as pre-annotations.")
@click.pass_context
def labels_push(ctx, name, sql, batch_size, predictions_from):
    """Push the items of NAME not pushed before as Label Studio tasks."""
    studio = _studio(ctx)
    done = _with_bar("push", lambda p: studio.push(
        name, sql=sql, batch_size=batch_size, predictions_from=predictions_from, progress=p))
    extra = f", {done.predictions} pre-annotations" if done.predictions else ""
    click.echo(f"Pushed {done.pushed} new tasks to project {done.project_id} ({done.skipped} "
               f"already there{extra}) in {done.seconds:.1f} s.")


@labels.command("pull")
@click.argument("name")
@click.option("--full", is_flag=True, help="Read every annotated task, not only changed ones.")
@click.pass_context
def labels_pull(ctx, name, full):
    """Pull the annotations made in Label Studio since the last pull into NAME."""
    studio = _studio(ctx)
    done = _with_bar("pull", lambda p: studio.pull(name, progress=p, full=full))
    notes = []
    if done.unknown_labels:
        notes.append(f"{done.unknown_labels} with a label not in the set (kept, flagged)")
    if done.deleted_tasks:
        notes.append(f"{done.deleted_tasks} tasks deleted in Label Studio (labels flagged)")
    if done.deleted_annotations:
        notes.append(f"{done.deleted_annotations} annotations deleted in Label Studio "
                     "(labels flagged)")
    how = "changed tasks" if done.incremental else "annotated tasks (full export)"
    click.echo(f"Read {done.tasks_read} {how}: {done.annotations} annotations, {done.written} "
               f"new or changed labels in {done.seconds:.1f} s."
               + (f" Note: {'; '.join(notes)}." if notes else ""))


@main.command()
@click.argument("target", type=click.Path(file_okay=False), default="demo")
@click.option("--scale", default=1.0, show_default=True, help="Size of the generated data.")
def demo(target, scale):
    """Generate the demo data set in TARGET and register it in TARGET/.mlworkbench."""
    from mlworkbench.demo.__main__ import main as demo_main

    demo_main([target, "--scale", str(scale)])


def _add_training_commands() -> None:
    from mlworkbench.cli_training import runs, train

    main.add_command(train)
    main.add_command(runs)


_add_training_commands()


def _add_registry_commands() -> None:
    from mlworkbench.cli_registry import models

    main.add_command(models)


_add_registry_commands()


def _add_scoring_command() -> None:
    from mlworkbench.cli_scoring import score

    main.add_command(score)


_add_scoring_command()
__import__("mlworkbench.cli_jobs").cli_jobs.register(main)  # run, jobs


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port (0: any free port).")
@click.option("--token", envvar="MLWORKBENCH_SERVE_TOKEN", default=None,
              help="Token callers must send (default: generated and printed).")
@click.option("--max-bytes", type=int, default=None, help="Largest request body (default 10 MB).")
@click.pass_context
def serve(ctx, host, port, token, max_bytes):
    """Serve every published model on one port (POST /mlworkbench/api/models/NAME@ALIAS/predict)."""
    from mlworkbench.serve import serve as run

    run(_open(ctx), host=host, port=port, token=token, max_bytes=max_bytes,
        echo=lambda line: click.echo(line, err=False) or sys.stdout.flush())


if __name__ == "__main__":
    main()
