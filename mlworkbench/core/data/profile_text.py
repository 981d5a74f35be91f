"""A profile as plain text: one line per column, for a terminal or a notebook's text/plain."""

from __future__ import annotations

from typing import Any

from mlworkbench.schemas.prep import ColumnKind, DescribeProfile


def profile_text(profile: DescribeProfile) -> str:
    """The profile's header (rows, sampling) and one line per column.

    Args:
        profile: A profile from :func:`~mlworkbench.core.data.profile.profile`.

    Returns:
        Lines such as ``amount  DECIMAL(10,2)  nulls 0.0%  distinct 977  min 0.1  max 99.7``.
    """
    head = f"Profile of {profile.source}: {profile.total_rows:,} rows"
    if profile.sampled:
        head += f", sampled ({profile.sample_rows:,} rows)"
    lines = [head]
    width = max([len(c.name) for c in profile.columns] + [6])
    for c in profile.columns:
        line = f"  {c.name:<{width}}  {c.type:<14} nulls {c.null_share:6.1%}"
        if c.distinct is not None:
            line += f"  distinct {'~' if c.distinct_approximate else ''}{c.distinct:,}"
        if c.min is not None:
            line += f"  min {_short(c.min)}  max {_short(c.max)}"
        if c.mean is not None and c.kind is ColumnKind.numeric:
            line += f"  mean {c.mean:.4g}"
        if c.top_values and c.kind in (ColumnKind.text, ColumnKind.boolean):
            top = ", ".join(f"{_short(v.value)} ({v.count:,})" for v in c.top_values[:3])
            line += f"  top {top}"
        if not c.profiled:
            line += "  (not profiled)"
        lines.append(line)
    return "\n".join(lines)


def _short(value: Any) -> str:
    text = f"{value:.6g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 24 else text[:23] + "…"
