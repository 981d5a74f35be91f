"""Vega-Lite v5 specs of column profiles: a histogram, a time histogram or top-value bars.

The specs set no colours, fonts or backgrounds: JupyterLab's Vega renderer (and the panel)
apply the current theme, so the charts read well in light and dark themes alike.
"""

from __future__ import annotations

from typing import Any

from mlworkbench.schemas.prep import ColumnKind, ColumnProfile, DescribeProfile

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH = 220
HEIGHT = 110


def column_chart(column: ColumnProfile) -> dict[str, Any] | None:
    """The chart of one profiled column, or None when there is nothing to draw.

    Args:
        column: A profile whose histogram or top values are filled in.

    Returns:
        A standalone Vega-Lite v5 spec (data inline).
    """
    if column.histogram and column.kind is ColumnKind.numeric:
        values = [{"start": b.start, "end": b.end, "count": b.count} for b in column.histogram]
        encoding = {
            "x": {"field": "start", "type": "quantitative", "bin": {"binned": True},
                  "title": column.name},
            "x2": {"field": "end"},
            "y": {"field": "count", "type": "quantitative", "title": "rows"},
            "tooltip": [
                {"field": "start", "type": "quantitative", "title": "from"},
                {"field": "end", "type": "quantitative", "title": "to"},
                {"field": "count", "type": "quantitative", "title": "rows", "format": ","},
            ],
        }
    elif column.histogram and column.kind is ColumnKind.temporal:
        values = [{"start": b.start, "end": b.end, "count": b.count} for b in column.histogram]
        encoding = {
            "x": {"field": "start", "type": "temporal", "title": column.name},
            "x2": {"field": "end"},
            "y": {"field": "count", "type": "quantitative", "title": "rows"},
            "tooltip": [
                {"field": "start", "type": "temporal", "title": column.histogram_unit or "from"},
                {"field": "count", "type": "quantitative", "title": "rows", "format": ","},
            ],
        }
    elif column.top_values:
        values = [
            {"value": "NULL" if v.value is None else v.value, "count": v.count}
            for v in column.top_values
        ]
        encoding = {
            "y": {"field": "value", "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 120}},
            "x": {"field": "count", "type": "quantitative", "title": "rows"},
            "tooltip": [
                {"field": "value", "type": "nominal", "title": column.name},
                {"field": "count", "type": "quantitative", "title": "rows", "format": ","},
            ],
        }
    else:
        return None
    return {
        "$schema": SCHEMA,
        "description": f"Distribution of {column.name}",
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": encoding,
        "width": WIDTH,
        "height": HEIGHT if "x2" in encoding else max(40, 16 * len(values)),
    }


def profile_chart(profile: DescribeProfile, *, columns: int = 3,
                  max_charts: int = 60) -> dict[str, Any] | None:
    """All column charts of a profile as one wrapped concatenation, each titled with its column's
    name, type and null share.

    Args:
        profile: A profile with charts.
        columns: Charts per row.
        max_charts: Charts beyond this many are left out (a very wide table).

    Returns:
        One Vega-Lite v5 spec, or None when no column has a chart.
    """
    charts = []
    for column in profile.columns:
        spec = column.chart or (column_chart(column) if column.profiled else None)
        if spec is None:
            continue
        spec = {k: v for k, v in spec.items() if k != "$schema"}
        subtitle = f"{column.type} · {column.null_share:.1%} null"
        if column.distinct is not None:
            approx = "~" if column.distinct_approximate else ""
            subtitle += f" · {approx}{column.distinct:,} distinct"
        spec["title"] = {"text": column.name, "subtitle": subtitle, "anchor": "start"}
        charts.append(spec)
        if len(charts) == max_charts:
            break
    if not charts:
        return None
    title = f"{profile.source}: {profile.total_rows:,} rows"
    if profile.sampled:
        title += f" (sample of {profile.sample_rows:,})"
    return {"$schema": SCHEMA, "title": title, "concat": charts, "columns": columns,
            "resolve": {"scale": {"x": "independent", "y": "independent"}}}
