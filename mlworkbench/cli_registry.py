"""``mlworkbench models``: the model registry from a shell (``ws.registry``).

Examples::

    mlworkbench models                          # the list
    mlworkbench models publish 3 churn --description "first cut"
    mlworkbench models promote churn 1 production --gate "roc_auc >= 0.85"
    mlworkbench models rollback churn production
    mlworkbench models unalias churn staging    # remove an alias (kept in the history)
    mlworkbench models export churn@production deploy/churn [--overwrite]   # MLflow model dir
    mlworkbench models show churn               # versions, aliases, alias history
    mlworkbench models show churn --version 1   # signature, metrics, lineage, card

Bad input (a bad name, an unknown model, a failing gate) prints the message and exits 2.
"""

from __future__ import annotations

import json

import click


def _registry(ctx: click.Context):
    from mlworkbench.cli import _open

    return _open(ctx).registry


def _actor() -> str:
    from mlworkbench.core.labeling.annotators import local_annotator

    return local_annotator()


def _echo_json(model) -> None:
    click.echo(model.model_dump_json(indent=2))


@click.group(invoke_without_command=True)
@click.pass_context
def models(ctx: click.Context) -> None:
    """Published models: list (the default), show, publish, promote, rollback, unalias,
    export."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(models_list)


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def models_list(ctx: click.Context, as_json: bool = False) -> None:
    """Every model: newest version, versions, aliases, task and target."""
    from mlworkbench.cli import _print_table

    listed = _registry(ctx).list_models()
    if as_json:
        _echo_json(listed)
        return
    if not listed.models:
        click.echo("No models yet: publish a training run's model with "
                   "'mlworkbench models publish RUN_ID NAME'.")
        return
    _print_table(["name", "latest", "versions", "aliases", "task", "target"], [
        [m.name, m.latest_version, m.versions,
         ", ".join(f"{a}=v{v}" for a, v in m.aliases.items() if v is not None),
         m.task, m.target] for m in listed.models])


@models.command("show")
@click.argument("name")
@click.option("--version", help="One version: its signature, metrics, lineage and card.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON.")
@click.pass_context
def models_show(ctx: click.Context, name: str, version: str | None, as_json: bool) -> None:
    """A model's versions, aliases and alias history (or one version with --version)."""
    registry = _registry(ctx)
    if version is not None:
        described = registry.describe_version(name, version)
        if as_json:
            _echo_json(described)
            return
        columns = ", ".join(f"{c.name} ({c.type})" for c in described.signature.columns)
        click.echo(f"{name} v{described.version} from run {described.run_id} "
                   f"(sha256 {described.sha256[:12]}), aliases: "
                   f"{', '.join(described.aliases) or 'none'}")
        click.echo(f"input: {columns}\n")
        click.echo(described.card)
        return
    model = registry.describe_model(name)
    if as_json:
        _echo_json(model)
        return
    from mlworkbench.cli import _print_table

    click.echo(f"{model.name}: {len(model.versions)} version(s)")
    _print_table(["version", "run", "aliases", "metrics", "published"], [
        [f"v{v.version}", v.run_id, ", ".join(v.aliases),
         json.dumps({k: round(x, 4) for k, x in v.metrics.items()
                     if isinstance(x, float)}), v.created_at.isoformat(timespec="seconds")]
        for v in model.versions])
    if model.alias_history:
        click.echo("\nalias history (newest first):")
        for move in model.alias_history:
            verdict = "moved" if move.moved else "REFUSED"
            checks = "; ".join(f"{r.check}: {'pass' if r.passed else 'fail'}"
                               for r in move.gate_results)
            click.echo(f"  {move.moved_at.isoformat(timespec='seconds')} {move.alias} "
                       f"{move.action} v{move.from_version} -> v{move.to_version} {verdict}"
                       + (f" by {move.actor}" if move.actor else "")
                       + (f" [{checks}]" if checks else ""))


@models.command("publish")
@click.argument("run_id", type=int)
@click.argument("name")
@click.option("--artifact", default="best", show_default=True,
              help="Which of the run's models ('best', 'rank-2', ...).")
@click.option("--description", help="A line about this version.")
@click.option("--card", "card_file", type=click.Path(exists=True, dir_okay=False),
              help="A markdown file to use as the model card (default: written from the run).")
@click.pass_context
def models_publish(ctx: click.Context, run_id: int, name: str, artifact: str,
                   description: str | None, card_file: str | None) -> None:
    """Publish a training run's model as the next version of NAME."""
    card = None
    if card_file is not None:
        with open(card_file, encoding="utf-8") as file:
            card = file.read()
    version = _registry(ctx).publish(run_id, name, artifact=artifact, card=card,
                                     description=description)
    click.echo(f"Published {version.name} v{version.version} from run {version.run_id} "
               f"({version.path}, sha256 {version.sha256[:12]}).")


@models.command("promote")
@click.argument("name")
@click.argument("version")
@click.argument("alias")
@click.option("--gate", "gates", multiple=True,
              help="A SQL check on metrics for this move, beside the alias's own (repeatable).")
@click.pass_context
def models_promote(ctx: click.Context, name: str, version: str, alias: str,
                   gates: tuple[str, ...]) -> None:
    """Point ALIAS of NAME at VERSION once every gate passes."""
    move = _registry(ctx).set_alias(name, alias, version, gates=list(gates) or None,
                                    actor=_actor())
    click.echo(f"{name}@{alias} -> v{move.to_version}"
               + (f" (was v{move.from_version})" if move.from_version is not None else ""))


@models.command("rollback")
@click.argument("name")
@click.argument("alias")
@click.pass_context
def models_rollback(ctx: click.Context, name: str, alias: str) -> None:
    """Move ALIAS of NAME back to its previous version (no gates apply)."""
    move = _registry(ctx).rollback(name, alias, actor=_actor())
    click.echo(f"{name}@{alias} -> v{move.to_version} (rolled back from v{move.from_version})")


@models.command("unalias")
@click.argument("name")
@click.argument("alias")
@click.pass_context
def models_unalias(ctx: click.Context, name: str, alias: str) -> None:
    """Remove ALIAS of NAME and its gates (the removal is kept in the alias history)."""
    move = _registry(ctx).remove_alias(name, alias, actor=_actor())
    click.echo(f"Removed {name}@{alias}"
               + (f" (it pointed at v{move.from_version})." if move is not None else
                  " (it pointed at no version)."))


@models.command("export")
@click.argument("ref")
@click.argument("directory", required=False)
@click.option("--overwrite", is_flag=True, help="Replace a previous export in DIRECTORY.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def models_export(ctx: click.Context, ref: str, directory: str | None, overwrite: bool,
                  as_json: bool) -> None:
    """Write REF (churn, churn@production, churn@2) as an MLflow model directory in DIRECTORY
    (default: mlflow-models/NAME-vN under the root). mlworkbench must be importable where
    MLflow loads it."""
    import os

    target = None if directory is None else os.path.abspath(os.path.expanduser(directory))
    exported = _registry(ctx).export_mlflow(ref, target, overwrite=overwrite)
    if as_json:
        _echo_json(exported)
        return
    click.echo(f"Exported {exported.name} v{exported.version} to {exported.path} "
               f"({', '.join(exported.files)}).")
    click.echo(f"Serve it with: {exported.mlflow_uri_hint}")
