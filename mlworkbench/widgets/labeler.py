"""The notebook labeler: an anywidget over :class:`~mlworkbench.widgets.session.LabelerSession`.

The kernel keeps the state and records every label through the core as it is made; the
frontend (``labeler.js``, an ES module shipped in this package) draws the synced traits and
sends the user's actions as custom messages, e.g. ``{"action": "pick", "choice": 0}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from mlworkbench.widgets.session import LabelerSession

HERE = Path(__file__).parent


class Labeler(anywidget.AnyWidget):
    """A label set's items one at a time, with buttons and the panel's keys.

    Create it with :func:`mlworkbench.label` (``mlwb.label(...)``) rather than directly.
    """

    _esm = HERE / "labeler.js"
    _css = HERE / "labeler.css"

    label_set = traitlets.Unicode().tag(sync=True)
    key_column = traitlets.Unicode().tag(sync=True)
    choices = traitlets.List(traitlets.Unicode()).tag(sync=True)
    multi = traitlets.Bool(False).tag(sync=True)
    kind = traitlets.Unicode("record").tag(sync=True)
    annotator = traitlets.Unicode().tag(sync=True)
    filter = traitlets.Unicode("unlabeled").tag(sync=True)
    item = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    position = traitlets.Int(0).tag(sync=True)  # 1-based, among the items walked so far
    filter_total = traitlets.Int(-1).tag(sync=True)  # items in the filter (-1: not known)
    chosen = traitlets.List(traitlets.Unicode()).tag(sync=True)
    progress = traitlets.Dict().tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    queue = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    handled = traitlets.Int(0)  # actions handled so far (kernel side only: tests count them)
    scoring = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)  # {done, total}

    def __init__(self, label_set: Any, *, annotator: str, filter: str = "unlabeled",
                 page_size: int = 50, **kwargs: Any) -> None:
        self.session = LabelerSession(
            label_set, annotator=annotator, filter=filter, page_size=page_size
        )
        info = self.session.info
        super().__init__(
            label_set=info.name,
            key_column=info.key,
            choices=list(info.choices),
            multi=info.multi,
            kind=info.kind or "record",
            annotator=annotator,
            **kwargs,
        )
        self.session.on_scoring = self._scoring
        self.session.start()
        self._sync()
        self.on_msg(self._on_message)

    def _scoring(self, done: int, total: int) -> None:
        # Sent at once although the kernel is busy: a long refresh shows how far it is.
        self.scoring = {"done": done, "total": total}

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            try:
                self.session.handle(content)
            finally:
                self.scoring = None  # also after a kernel interrupt stopped a refresh
            self.handled += 1
            self._sync()  # the next item goes out first...
            if self.session.progress_stale:
                self.session.refresh_progress()  # ...the count (a scan of the items) after it
                self.progress = self.session.progress

    def _sync(self) -> None:
        s = self.session
        with self.hold_sync():
            self.filter = s.filter
            self.item = s.current
            self.position = s.index + 1
            self.filter_total = -1 if s.filter_total is None else s.filter_total
            self.chosen = s.chosen
            self.progress = s.progress
            self.notice = s.notice or ""
            self.error = s.error
            self.queue = s.queue

    @property
    def state(self) -> str:
        """``item`` while an item is shown, ``done`` at the end of the filter (the frontend
        reads the same from ``item`` being null)."""
        return self.session.state

    @property
    def labels(self) -> Any:
        """The core label set (``ws.labels.get(name)``): record, items, progress, versions."""
        return self.session.label_set

    def refresh_queue(self, strategy: str = "least_confidence", **options: Any) -> Any:
        """Train the queue model on the labels so far, write ``<name>_queue`` and walk its
        least confident items (see :func:`mlworkbench.core.labeling.active.refresh_queue`).

        Returns:
            The queue's description (``DescribeQueue``).
        """
        try:
            queue = self.session.refresh_queue(strategy, **options)
        finally:
            self.scoring = None
        self._sync()
        return queue

    # Python-side shortcuts, the same actions as the keys (handy in a notebook or a test).
    def act(self, action: str, **fields: Any) -> None:
        """Do one action as if the frontend sent it (``act("pick", choice=0)``)."""
        self._on_message(self, {"action": action, **fields}, [])
