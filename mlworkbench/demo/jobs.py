"""The jobs demo: a notebook with a ``parameters`` cell over the demo data, and a saved daily
job on it, so the Jobs panel has something to show and run on a first start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

NOTEBOOK = "sales_report.ipynb"
JOB_NAME = "daily-sales-report"
SCHEDULE = "daily at 07:00"

PARAMETERS = """\
from datetime import date

since = date(2024, 1, 1)  # orders placed on this day or later
channel = "web"  # web, mobile or store
top = 5  # customers to list
min_revenue = 50.0  # leave out customers who spent less
include_returns = False  # count returned orders as sales"""

CELLS = [
    "# Sales report\n\nTop customers of one channel since a day, from the demo star schema. "
    "Run it with other values from the Jobs panel (**Run notebook…**), from a notebook "
    "(`mlwb.run('sales_report.ipynb', channel='store')`) or from a shell "
    "(`mlworkbench run sales_report.ipynb -p channel store`); the saved job "
    f"`{JOB_NAME}` runs it {SCHEDULE} (UTC).",
    "import mlworkbench as mlwb\n\n"
    "statuses = ['delivered', 'shipped'] + (['returned'] if include_returns else [])\n"
    "sales = mlwb.sql('''\n"
    "SELECT c.first_name || ' ' || c.last_name AS customer,\n"
    "       count(DISTINCT o.order_id) AS orders,\n"
    "       round(sum(i.quantity * i.unit_price * (1 - i.discount)), 2) AS revenue\n"
    "FROM orders AS o\n"
    "JOIN order_items AS i USING (order_id)\n"
    "JOIN customers AS c USING (customer_id)\n"
    "WHERE o.ordered_at >= $since AND o.channel = $channel AND list_contains($statuses, o.status)\n"
    "GROUP BY ALL\n"
    "ORDER BY revenue DESC\n"
    "''').df()\n"
    "report = sales[sales.revenue >= min_revenue].head(top)\n"
    "report",
    "# Recorded values show in the run's details, so runs can be compared.\n"
    "mlwb.record('customers', len(report))\n"
    "mlwb.record('revenue', float(report.revenue.sum()))\n"
    "print(f'{len(report)} {channel} customers since {since}: '\n"
    "      f'revenue {report.revenue.sum():,.2f}')",
]


def write_notebook(path: Path) -> None:
    """Write the demo notebook (a python3 notebook whose first cell is tagged parameters)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    title, *code = CELLS
    parameters = nbformat.v4.new_code_cell(PARAMETERS)
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(title), parameters,
                *(nbformat.v4.new_code_cell(c) for c in code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)


def demo_jobs(target_dir: Path, workspace: Any, *, force: bool = False) -> list[str]:
    """Write the demo notebook into ``target_dir`` (kept when it exists, unless ``force``) and
    save the job ``daily-sales-report`` on it in ``workspace`` (left alone when a job of that
    name exists).

    Returns:
        What this call did: the notebook's name when written, ``job:<name>`` when saved.
    """
    from mlworkbench.core.errors import ConflictError, NotFoundError

    done = []
    path = Path(target_dir) / NOTEBOOK
    if force or not path.exists():
        write_notebook(path)
        done.append(NOTEBOOK)
    try:
        workspace.jobs.definitions.describe(JOB_NAME, count=0)
    except NotFoundError:
        try:
            workspace.jobs.definitions.create(JOB_NAME, _relative(path, workspace),
                                              schedule=SCHEDULE, timezone="UTC")
            done.append(f"job:{JOB_NAME}")
        except ConflictError:  # another process saved it since
            pass
    return done


def _relative(path: Path, workspace: Any) -> str:
    root = Path(workspace.root_dir).resolve()
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
