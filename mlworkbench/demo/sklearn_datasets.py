"""scikit-learn's bundled toy data sets (they ship inside the wheel: no network) as Parquet."""

from __future__ import annotations

import re
from pathlib import Path

# SQL name -> sklearn loader name. All three are small (under 600 rows).
DATASETS = {
    "breast_cancer": "load_breast_cancer",
    "wine": "load_wine",
    "diabetes": "load_diabetes",
}


def sklearn_datasets(data_dir: Path, *, force: bool = False) -> list[Path]:
    """Export breast_cancer, wine and diabetes as ``<name>.parquet`` in ``data_dir``.

    Column names become snake_case (``mean radius`` -> ``mean_radius``) so SQL needs no quotes.
    The classification sets get a ``target_name`` column next to the numeric ``target``; diabetes
    keeps its original units (age in years, BMI) rather than sklearn's scaled copy.

    Args:
        data_dir: Folder for the files; created if missing.
        force: Rewrite files that already exist.

    Returns:
        The files this call wrote.
    """
    wanted = {n: data_dir / f"{n}.parquet" for n in DATASETS}
    wanted = {n: p for n, p in wanted.items() if force or not p.exists()}
    if not wanted:
        return []
    # Imported here: scikit-learn is heavy and optional for everything but the demo.
    from sklearn import datasets

    data_dir.mkdir(parents=True, exist_ok=True)
    for name, path in wanted.items():
        loader = getattr(datasets, DATASETS[name])
        bunch = loader(as_frame=True, scaled=False) if name == "diabetes" else loader(as_frame=True)
        frame = bunch.frame.rename(columns=_snake_case)
        if "target_names" in bunch:
            frame["target_name"] = [str(bunch.target_names[t]) for t in frame["target"]]
        tmp = path.with_name(f".{path.name}.tmp")
        frame.to_parquet(tmp, index=False)
        tmp.replace(path)
    return list(wanted.values())


def _snake_case(column: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", column.strip().lower()).strip("_")
