"""mlworkbench: a local machine-learning workbench inside JupyterLab.

Importing this package is cheap on purpose: the server extension, the core and the optional
scientific libraries are imported only where they are used.
"""

try:
    from mlworkbench._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "0.0.0.dev0"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "mlworkbench"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from mlworkbench.server.app import MLWorkbench

    return [{"module": "mlworkbench.server.app", "app": MLWorkbench}]


def load_ipython_extension(ipython) -> None:
    """``%load_ext mlworkbench``: register ``%sql`` / ``%%sql`` (the workspace opens lazily)."""
    from mlworkbench.magics import load_ipython_extension as load

    load(ipython)


def __getattr__(name: str):
    # ``mlwb.sql`` imports the notebook module (and DuckDB) only when first used.
    if name in ("sql", "label"):
        from mlworkbench import notebook

        return getattr(notebook, name)
    if name in ("profile", "suggest_joins"):
        from mlworkbench import notebook_prep

        return getattr(notebook_prep, name)
    if name in ("train", "runs", "training_run"):
        from mlworkbench import notebook_training

        return getattr(notebook_training, name)
    if name in ("publish", "models", "model", "promote", "rollback", "export_model",
                "remove_alias"):
        from mlworkbench import notebook_registry

        return getattr(notebook_registry, name)
    if name in ("run", "job_runs", "job_run", "record"):
        from mlworkbench import notebook_jobs

        return getattr(notebook_jobs, name)
    if name in ("schedule", "jobs", "job", "job_parameters"):
        from mlworkbench import notebook_schedules

        return getattr(notebook_schedules, name)
    if name == "score":
        from mlworkbench import notebook_scoring

        return notebook_scoring.score
    raise AttributeError(f"module 'mlworkbench' has no attribute {name!r}")
