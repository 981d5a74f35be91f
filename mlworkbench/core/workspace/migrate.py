"""Bring the metadata schema to the newest Alembic revision when a workspace opens."""

from __future__ import annotations

from pathlib import Path

from mlworkbench.core.workspace.lock import file_lock
from mlworkbench.core.workspace.store import Store

MIGRATIONS = Path(__file__).with_name("migrations")


def migrate(store: Store, lock_path: Path) -> None:
    """Upgrade the metadata database to ``head``.

    Runs under an exclusive file lock: two processes opening a new workspace at once would
    otherwise both try to create the tables.

    Args:
        store: The workspace's metadata store.
        lock_path: The file that serialises migrations across processes.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with file_lock(lock_path), store.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
