"""Alembic environment for the workspace metadata.

Run programmatically by ``mlworkbench.core.workspace.migrate`` with an open connection in
``config.attributes["connection"]``; by hand (``alembic -x url=sqlite:///... upgrade head``)
it opens the URL given with ``-x url=``.
"""

from alembic import context
from sqlalchemy import create_engine

from mlworkbench.core.jobs import rows as _job_rows  # noqa: F401 (job tables in Base.metadata)
from mlworkbench.core.workspace.store import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite's ALTER TABLE is limited
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
