"""``mlworkbench run`` and ``mlworkbench jobs``: notebook jobs from a shell, the same core calls
(``ws.jobs``) as the notebook and the panel.

Examples::

    mlworkbench run report.ipynb -p since 2026-01-01 --wait
    mlworkbench run report.ipynb --kernel python3 --timeout 600 --retries 2
    mlworkbench jobs params report.ipynb
    mlworkbench jobs runs
    mlworkbench jobs show 3
    mlworkbench jobs html 3
    mlworkbench jobs stop 3
    mlworkbench jobs create nightly report.ipynb --schedule "daily at 06:00" --timezone Europe/Paris
    mlworkbench jobs list / pause nightly / resume nightly / delete nightly
    mlworkbench scheduler

(``mlworkbench runs`` lists training runs; job runs live under ``jobs``.)
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import click


def _workspace(ctx: click.Context):
    from mlworkbench.cli import _open

    return _open(ctx)


@click.command("run")
@click.argument("notebook")
@click.option("-p", "--parameter", "parameters", nargs=2, multiple=True,
              metavar="NAME VALUE", help="A parameter value, parsed by the type the notebook's "
              "parameters cell declares; text needs no quotes (repeatable).")
@click.option("--kernel", help="The kernel (default: the notebook's own).")
@click.option("--timeout", type=float, help="Seconds an attempt may take before it is killed.")
@click.option("--retries", default=0, show_default=True, help="Attempts after a failure.")
@click.option("--retry-backoff", default=30.0, show_default=True,
              help="Seconds before the first retry (doubled for each next one).")
@click.option("--output-dir", help="Folder for the executed notebook and its HTML "
              "(default: the run's folder in the workspace).")
@click.option("--wait", is_flag=True, help="Run it in this command and wait until it finished; "
              "exit 1 unless it succeeded (Ctrl-C stops the run).")
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
@click.pass_context
def run(ctx, notebook, parameters, kernel, timeout, retries, retry_backoff, output_dir, wait,
        as_json):
    """Run NOTEBOOK now with papermill, in its own process (in this one with --wait)."""
    from mlworkbench.core.jobs.process import skip_slow_optional_imports

    skip_slow_optional_imports()
    jobs = _workspace(ctx).jobs
    options = {"kernel": kernel, "timeout": timeout, "retries": retries,
               "retry_backoff": retry_backoff, "output_dir": output_dir}
    if not wait:
        run_id = jobs.run(notebook, dict(parameters), **options)
        described = jobs.describe(run_id)
        if as_json:
            click.echo(_json(described))
        else:
            click.echo(f"Started job run {run_id}: mlworkbench jobs show {run_id}")
        return
    # In this process: one Python start-up, and the run is this command's (Ctrl-C stops it).
    run_id = jobs.enqueue(notebook, dict(parameters), **options)
    click.echo(f"Job run {run_id} running; waiting (Ctrl-C stops it).", err=True)
    described = jobs.run_here(run_id)
    click.echo(_json(described) if as_json else _text(described))
    if described.status != "succeeded":
        sys.exit(1)


@click.group()
def jobs() -> None:
    """Notebook job runs: list, show, stop; a notebook's parameters."""


@jobs.command("params")
@click.argument("notebook")
@click.pass_context
def jobs_params(ctx, notebook):
    """The parameters NOTEBOOK declares: name, type, default, help."""
    declared = _workspace(ctx).jobs.parameters(notebook)
    if not declared:
        click.echo("No parameters cell (tag a cell 'parameters' to declare some).")
    for p in declared:
        click.echo(f"{p.name}\t{p.type}\t{p.default}" + (f"\t# {p.help}" if p.help else ""))


@jobs.command("runs")
@click.option("--limit", default=50, show_default=True, help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def jobs_runs(ctx, limit, as_json):
    """Job runs, newest first."""
    listed = _workspace(ctx).jobs.list_runs(limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in listed], default=str))
        return
    if not listed:
        click.echo("No job runs yet: mlworkbench run NOTEBOOK.ipynb", err=True)
    for r in listed:
        took = "" if r.duration is None else f"{r.duration:.1f} s"
        started = f"{r.started_at:%Y-%m-%d %H:%M:%S}" if r.started_at else "-"
        click.echo(f"{r.id}\t{r.status}\t{r.notebook}\t{started}\t{took}\t"
                   f"{r.exit_reason or ''}".rstrip())


@jobs.command("show")
@click.argument("run_id", type=int)
@click.option("--log", "show_log", is_flag=True, help="Also print the run's stdout/stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
@click.pass_context
def jobs_show(ctx, run_id, show_log, as_json):
    """Show job run RUN_ID: status, times, parameters, values, outputs, failure."""
    described = _workspace(ctx).jobs.describe(run_id)
    click.echo(_json(described) if as_json else _text(described))
    if show_log:
        click.echo(described.log())


@jobs.command("html")
@click.argument("run_id", type=int)
@click.pass_context
def jobs_html(ctx, run_id):
    """Export job run RUN_ID's executed notebook to HTML (once; kept) and print its path."""
    click.echo(str(_workspace(ctx).jobs.html(run_id)))


@jobs.command("stop")
@click.argument("run_id", type=int)
@click.pass_context
def jobs_stop(ctx, run_id):
    """Stop job run RUN_ID (its notebook and kernel are killed)."""
    ws = _workspace(ctx)
    described = ws.jobs.stop(run_id)
    if not described.finished:
        described = ws.jobs.wait(run_id, timeout=30)
    click.echo(f"Job run {run_id}: {described.status}")


@jobs.command("create")
@click.argument("name")
@click.argument("notebook")
@click.option("-p", "--parameter", "parameters", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A parameter value (repeatable).")
@click.option("--schedule", help="Cron ('0 6 * * *') or 'hourly', 'daily at 06:00', "
              "'weekly on mon at 06:00'.")
@click.option("--timezone", default="UTC", show_default=True, help="IANA timezone of the times.")
@click.option("--overlap", type=click.Choice(["skip", "queue"]), default="skip",
              show_default=True, help="When the previous run is still running.")
@click.option("--catch-up", type=click.Choice(["once", "all", "skip"]), default="once",
              show_default=True, help="Runs missed while no scheduler ran.")
@click.option("--kernel", help="The kernel (default: the notebook's own).")
@click.option("--timeout", type=float, help="Seconds an attempt may take.")
@click.option("--retries", default=0, show_default=True, help="Attempts after a failure.")
@click.option("--output-dir", help="Folder for the executed notebooks.")
@click.pass_context
def jobs_create(ctx, name, notebook, parameters, schedule, timezone, overlap, catch_up, kernel,
                timeout, retries, output_dir):
    """Save job NAME running NOTEBOOK, on a schedule when given."""
    job = _workspace(ctx).jobs.definitions.create(
        name, notebook, parameters=dict(parameters), schedule=schedule, timezone=timezone,
        overlap=overlap, catch_up=catch_up, kernel=kernel, timeout_seconds=timeout,
        retries=retries, output_dir=output_dir)
    click.echo(_job_text(job))


@jobs.command("list")
@click.pass_context
def jobs_list(ctx):
    """Saved jobs with their schedule and next run."""
    for job in _workspace(ctx).jobs.definitions.list():
        click.echo(_job_text(job).splitlines()[0])


@jobs.command("pause")
@click.argument("name")
@click.pass_context
def jobs_pause(ctx, name):
    """Stop firing job NAME's schedule."""
    click.echo(_job_text(_workspace(ctx).jobs.definitions.pause(name)))


@jobs.command("resume")
@click.argument("name")
@click.pass_context
def jobs_resume(ctx, name):
    """Fire job NAME's schedule again (times missed while paused are skipped)."""
    click.echo(_job_text(_workspace(ctx).jobs.definitions.resume(name)))


@jobs.command("delete")
@click.argument("name")
@click.pass_context
def jobs_delete(ctx, name):
    """Delete job NAME (its runs stay)."""
    _workspace(ctx).jobs.definitions.delete(name)
    click.echo(f"Deleted job '{name}'.")


@click.command("scheduler")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between ticks.")
@click.option("--lease-seconds", default=30.0, show_default=True,
              help="How long the lease lasts unrenewed: another scheduler takes over this long "
              "after this one stopped.")
@click.pass_context
def scheduler(ctx, interval, lease_seconds):
    """Fire scheduled jobs until Ctrl-C (one scheduler per workspace fires: a lease)."""
    import threading

    from mlworkbench.core.jobs.scheduler import Scheduler

    stop = threading.Event()
    ws = _workspace(ctx)
    for lost in ws.jobs.recover():  # runs whose runner died while nothing watched
        if lost.status == "failed":
            click.echo(f"Run {lost.id} ({lost.notebook}): {lost.exit_reason}", err=True)
    loop = Scheduler(ws, lease_seconds=lease_seconds)
    click.echo(f"Scheduler {loop.holder} running; Ctrl-C stops it.", err=True)
    try:
        loop.run_forever(stop, interval=interval)
    except KeyboardInterrupt:
        stop.set()
        loop.release()


def register(main: click.Group) -> None:
    """Add ``run``, ``jobs`` and ``scheduler`` to the ``mlworkbench`` command."""
    main.add_command(run)
    main.add_command(jobs)
    main.add_command(scheduler)


def _job_text(job) -> str:
    when = f"{job.schedule} ({job.schedule_description}, {job.timezone})" if job.schedule \
        else "no schedule"
    state = "paused" if job.paused else (f"next {job.next_fire_times[0]:%Y-%m-%d %H:%M} UTC"
                                         if job.next_fire_times else "")
    lines = [f"{job.name}\t{job.notebook}\t{when}\t{state}".rstrip()]
    lines += [f"  then {t:%Y-%m-%d %H:%M} UTC" for t in job.next_fire_times[1:]]
    return "\n".join(lines)


def _json(described) -> str:
    return json.dumps(asdict(described), default=str)


def _text(r) -> str:
    lines = [f"Job run {r.id}: {r.status} (attempt {r.attempt})", f"notebook\t{r.notebook}"]
    if r.parameters:
        lines.append("parameters\t" + ", ".join(f"{k}={v!r}" for k, v in r.parameters.items()))
    if r.duration is not None:
        lines.append(f"duration\t{r.duration:.1f} s")
    for name, value in r.values.items():
        lines.append(f"value\t{name} = {value}")
    if r.exit_reason:
        lines.append(f"reason\t{r.exit_reason}")
    if r.traceback:
        lines.append(r.traceback)
    for label, path in (("output", r.output_path), ("html", r.html_path), ("log", r.log_path)):
        if path and (label != "html" or os.path.exists(path)):  # HTML: made when first asked
            lines.append(f"{label}\t{path}")
    return "\n".join(lines)
