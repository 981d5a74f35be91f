"""``mlworkbench train`` and ``mlworkbench runs``: training runs from a shell, in their own
processes (``ws.training``), with the notebook's budget and output (``training_view``).

Examples::

    mlworkbench train "SELECT * FROM customers" --target churned --budget 2m
    mlworkbench train customers --target churned --budget 30s --slice-by plan --json
    mlworkbench train customers --target churned --refit-all
    mlworkbench runs --experiment churn
    mlworkbench runs show 3
"""

from __future__ import annotations

import sys

import click


def _workspace(ctx: click.Context):
    from mlworkbench.cli import _open

    return _open(ctx)


@click.command()
@click.argument("sql")
@click.option("--target", required=True, help="The column to predict.")
@click.option("--budget", default="60s", show_default=True,
              help="Search time: seconds (90) or with a unit (90s, 2m, 1h).")
@click.option("--task", type=click.Choice(["binary", "multiclass", "regression"]),
              help="Default: inferred from the target.")
@click.option("--metric", help="What the search optimises (default: roc_auc, "
              "balanced_accuracy or r2).")
@click.option("--features", help="Feature columns, comma-separated (default: every column "
              "without a flag).")
@click.option("--slice-by", help="A column to report held-out metrics per value of.")
@click.option("--experiment", help="The experiment the run belongs to (default: default).")
@click.option("--refit-all", is_flag=True, help="Refit the best model on every row (training "
              "and held-out) after the held-out evaluation; the metrics stay the held-out ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole run as JSON.")
@click.pass_context
def train(ctx, sql, target, budget, task, metric, features, slice_by, experiment, refit_all,
          as_json):
    """Train a model on SQL (or a table name) within a time budget, in its own process.

    Progress goes to stderr; Ctrl-C stops the search and keeps the best model found. Prints the
    leaderboard and the held-out metrics of the best model."""
    from mlworkbench import training_view as view

    request = view.train_request(
        sql=view.text_sql(sql), target=target, task=task, metric=metric,
        budget_s=view.parse_budget(budget), slice_by=slice_by, experiment=experiment,
        refit_all=refit_all,
        features=[f.strip() for f in features.split(",") if f.strip()] if features else None)
    training = _workspace(ctx).training
    run_id = training.start(request)
    with _TrainProgress(run_id, request.budget_s) as progress:
        ended = view.follow(training, run_id, progress.show, on_stop=progress.stopping)
        progress.show(ended.progress)
    _print_run(ended, as_json)
    if ended.status == "failed":
        # 2 for data the run refused (as for a request refused at once), 1 for a crash
        crashed = ended.error is None or ended.error.code in ("training_failed", "process_died")
        sys.exit(1 if crashed else 2)


class _TrainProgress:
    """A progress bar on a terminal; elsewhere (a log, a pipe) a line each time the phase, the
    trials done or the best score change."""

    def __init__(self, run_id: int, budget_s: float) -> None:
        self.run_id, self.budget_s = run_id, budget_s
        self.bar = None
        self.last: list = []
        self.stop_asked = False

    def __enter__(self) -> _TrainProgress:
        if sys.stderr.isatty():
            self.bar = click.progressbar(length=1000, label=f"run {self.run_id}",
                                         file=sys.stderr, show_percent=False, show_eta=False,
                                         item_show_func=lambda text: text).__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def show(self, progress) -> None:
        from mlworkbench import training_view as view

        if progress is None:
            return
        text = view.progress_text(progress, time_left=not self.stop_asked)
        if self.bar is not None:
            done = round(1000 * view.progress_fraction(progress, self.budget_s))
            self.bar.update(max(0, done - self.bar.pos), text)
            return
        key = [getattr(progress, k, None) for k in ("phase", "trials_done", "best_score")]
        if key != self.last:
            self.last = key
            click.echo(f"run {self.run_id}: {text}", err=True)

    def stopping(self) -> None:
        self.stop_asked = True
        click.echo("\nStopping: keeping the best model found so far...", err=True)


def _print_run(described, as_json: bool) -> None:
    from mlworkbench import training_view as view

    if as_json:
        click.echo(described.model_dump_json(indent=2))
        return
    result = described.result.model_dump(mode="json") if described.result else None
    click.echo(view.result_text(described.run_id, described.status, result, described.error),
               err=described.status == "failed")


@click.group(invoke_without_command=True)
@click.option("--experiment", help="Only this experiment's runs.")
@click.option("--limit", default=50, show_default=True, help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def runs(ctx, experiment, limit, as_json):
    """Training runs, newest first; `runs show ID` shows one."""
    if ctx.invoked_subcommand is not None:
        return
    from mlworkbench import training_view as view
    from mlworkbench.schemas.training import ListTrainingRunsQuery

    listed = _workspace(ctx).training.list_runs(
        ListTrainingRunsQuery(experiment=experiment, limit=limit))
    if as_json:
        click.echo(listed.model_dump_json(indent=2))
        return
    rows = [[r.run_id, r.experiment, r.status, f"{r.started_at:%Y-%m-%d %H:%M:%S}",
             view.format_seconds(r.duration_s) if r.duration_s is not None else "",
             r.target, r.metric, view.score_text(r.best_score), r.best_candidate]
            for r in listed.runs]
    if not rows:
        click.echo("No training runs yet: mlworkbench train \"SELECT ...\" --target COLUMN",
                   err=True)
        return
    for line in view.text_table(["run", "experiment", "status", "started", "took", "target",
                                 "metric", "best", "model"], rows):
        click.echo(line)


@runs.command("show")
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the whole run as JSON.")
@click.pass_context
def runs_show(ctx, run_id, as_json):
    """Show run RUN_ID: its status, leaderboard and held-out metrics."""
    _print_run(_workspace(ctx).training.describe(run_id), as_json)
