"""Labeling: label sets (workspace tables of labels), the built-in labeler's core, and the
bridges (Label Studio in ``studio.py``, the active-learning queue in ``active.py``).

Names load lazily: the engine imports ``views`` from here without the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlworkbench.core.labeling.journal import LabelEvent
    from mlworkbench.core.labeling.label_sets import LabelSet, LabelSets

__all__ = ["LabelEvent", "LabelSet", "LabelSets"]


def __getattr__(name: str) -> Any:
    if name == "LabelEvent":
        from mlworkbench.core.labeling.journal import LabelEvent

        return LabelEvent
    if name in ("LabelSet", "LabelSets"):
        from mlworkbench.core.labeling import label_sets

        return getattr(label_sets, name)
    raise AttributeError(name)
