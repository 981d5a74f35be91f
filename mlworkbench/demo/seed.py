"""Seed a folder with demo data: a retail star schema and scikit-learn's toy data sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlworkbench.demo.sklearn_datasets import DATASETS, sklearn_datasets
from mlworkbench.demo.star_schema import FILES, star_schema

WELCOME_SQL = """\
-- Welcome to mlworkbench: the demo sources are registered under these names.
-- customers comes from a CSV file, orders from a Parquet file; DuckDB joins them in place.
-- Run it, then sort and filter the result in the grid.
SELECT c.customer_id,
       c.first_name || ' ' || c.last_name AS customer,
       c.city,
       count(*) AS orders,
       min(o.ordered_at) AS first_order,
       max(o.ordered_at) AS last_order
FROM customers AS c
JOIN orders AS o USING (customer_id)
WHERE o.status <> 'cancelled'
GROUP BY ALL
ORDER BY orders DESC
LIMIT 100;

-- Revenue by category and month: order_items (Parquet) with products (CSV).
-- SELECT p.category, date_trunc('month', o.ordered_at) AS month,
--        sum(i.quantity * i.unit_price * (1 - i.discount)) AS revenue
-- FROM order_items AS i JOIN orders AS o USING (order_id) JOIN products AS p USING (product_id)
-- GROUP BY ALL ORDER BY month, category;
"""


def demo_files(target_dir: Path) -> list[Path]:
    """Every data file ``seed`` makes, in registration order."""
    data_dir = Path(target_dir) / "data"
    return [data_dir / f for f in FILES.values()] + [data_dir / f"{n}.parquet" for n in DATASETS]


def seed(
    target_dir: Path, workspace: Any = None, *, scale: float = 1.0, force: bool = False
) -> list[str]:
    """Write the demo data under ``target_dir/data/`` and ``target_dir/welcome.sql``.

    Everything is generated locally and deterministically (no download): customers and products
    as CSV, orders and order_items as Parquet (about 250,000 rows in all at scale 1.0), and
    scikit-learn's breast_cancer, wine and diabetes as Parquet. Existing files are kept, so
    seeding twice is a no-op.

    Args:
        target_dir: Folder to seed; created if missing.
        workspace: An open ``mlworkbench.core.Workspace``; when given, every data file is
            registered as a source named after its stem (names already registered are skipped),
            and the jobs demo is added: ``sales_report.ipynb`` (a ``parameters`` cell of
            several types) and the saved job ``daily-sales-report`` on it (daily at 07:00 UTC).
        scale: Multiplies the star schema's row counts (the toy data sets have fixed sizes).
        force: Rewrite files that already exist.

    Returns:
        The files this call wrote, relative to ``target_dir`` (posix style), followed by
        ``source:<name>`` for each source it registered; with a workspace, then the jobs demo
        (``sales_report.ipynb`` when written, ``job:daily-sales-report`` when saved).

    Raises:
        ValueError: ``scale`` is not positive.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}.")
    target_dir = Path(target_dir)
    data_dir = target_dir / "data"
    written = star_schema(data_dir, scale=scale, force=force)
    written += sklearn_datasets(data_dir, force=force)
    welcome = target_dir / "welcome.sql"
    if force or not welcome.exists():
        welcome.write_text(WELCOME_SQL, encoding="utf-8")
        written.append(welcome)
    done = [p.relative_to(target_dir).as_posix() for p in written]
    if workspace is not None:
        from mlworkbench.demo.jobs import demo_jobs
        from mlworkbench.demo.register import register

        done += [f"source:{name}" for name in register(workspace, demo_files(target_dir))]
        done += demo_jobs(target_dir, workspace, force=force)
    return done
