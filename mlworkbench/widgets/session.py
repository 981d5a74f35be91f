"""The notebook labeler's state, kept in the kernel: the items of a label set under a filter,
fetched a page at a time from the core, and every label recorded through the core at once.

The widget's frontend only draws this state and sends the user's actions (``pick``, ``confirm``,
``skip``, ``undo``, ``next``, ``previous``, ``filter``, ``refresh_queue``): the keys behave as
in the panel's labeler (single-label: a number saves that label and moves on; multi-label:
numbers toggle, Enter saves). In a filter whose items leave it once labeled (unlabeled,
uncertain) the next page's offset is kept on the low side and items already seen are dropped,
so none is passed over when the server's list shifts (also under labels others make meanwhile:
a refill asks again from a few items before its estimate, as the panel's ``ItemPager`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.labeling.images import data_url

PAGE_SIZE = 50
MAX_EMPTY_PAGES = 20  # pages in a row of items already seen before the walk ends
OVERLAP = 10  # items asked again before the estimated end of a shrinking filter (as the panel)
FILTERS = ("unlabeled", "all", "disagreements", "uncertain")
SHRINKING = frozenset({"unlabeled", "uncertain"})
INLINE_IMAGE_BYTES = 5 << 20  # local images up to this size travel inside the item
NOTICES = {
    "pick-single": "Pick a label with 1-9 (or click one).",
    "pick-multi": "Toggle labels with 1-9, then Enter saves them.",
    "nothing-to-undo": "Nothing to undo in this session.",
}


@dataclass
class _Undo:
    kind: str  # label | skip
    item: dict[str, Any]
    prev_mine: list[str] | None
    prev_skipped: bool


class LabelerSession:
    """Walk a label set's items and label them.

    Args:
        label_set: The core label set (``ws.labels.get(name)``).
        annotator: Who labels (recorded on every label).
        filter: ``unlabeled``, ``all``, ``disagreements`` or ``uncertain``.
        page_size: Items fetched per page.
    """

    def __init__(
        self,
        label_set: Any,
        *,
        annotator: str,
        filter: str = "unlabeled",
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.label_set = label_set
        self.info = label_set.describe()
        self.annotator = annotator
        self.page_size = page_size
        self.filter = filter
        self.items: list[dict[str, Any]] = []
        self.index = 0
        self.draft: list[str] = []
        self.notice: str | None = None
        self.error: dict[str, Any] | None = None
        self.filter_total: int | None = None
        self.progress: dict[str, int] = self.label_set.progress().model_dump()
        self.progress_stale = False  # a write since the last count (see refresh_progress)
        self.queue: dict[str, Any] | None = None
        self.on_scoring: Callable[[int, int], None] | None = None  # queue refresh progress
        self._undo: list[_Undo] = []
        self._seen: set[str] = set()
        self._raw_end = 0
        self._exhausted = False

    # -- what the frontend shows -------------------------------------------------------------

    @property
    def current(self) -> dict[str, Any] | None:
        return self.items[self.index] if self.index < len(self.items) else None

    @property
    def chosen(self) -> list[str]:
        """Labels shown as chosen on the current item: the draft, else my saved labels."""
        if self.draft:
            return list(self.draft)
        item = self.current
        return list(item.get("mine") or []) if item else []

    @property
    def state(self) -> str:
        return "item" if self.current is not None else "done"

    # -- actions -----------------------------------------------------------------------------

    def start(self) -> None:
        """Load the first page of the filter (called once, and on every filter change)."""
        self.set_filter(self.filter, force=True)

    def handle(self, message: dict[str, Any]) -> None:
        """Do what a frontend message asks; core errors become the error box, never a raise."""
        action = message.get("action")
        try:
            if action == "pick":
                self.pick(int(message["choice"]))
            elif action == "filter":
                self.set_filter(str(message["filter"]))
            elif action == "refresh_queue":
                self.refresh_queue(message.get("strategy") or "least_confidence")
            elif action == "dismiss":
                self.error = None
            elif action in ("confirm", "skip", "undo", "next", "previous"):
                getattr(self, action)()
            else:
                self.error = {"message": f"Unknown labeler action {action!r}."}
        except WorkbenchError as error:
            self.error = {"message": error.message, "detail": error.detail, "action": action}

    def set_filter(self, filter: str, *, force: bool = False) -> None:
        if filter not in FILTERS:
            raise ValueError(f"Unknown filter {filter!r}; use one of {', '.join(FILTERS)}.")
        if filter == self.filter and not force:
            return
        self.filter = filter
        self.items, self.index, self.draft = [], 0, []
        self._seen.clear()
        self._raw_end, self._exhausted = 0, False
        self.filter_total = None
        self.notice = None
        self._undo.clear()
        self._fill()

    def pick(self, choice: int) -> None:
        """Key 1-9: single-label saves the choice and moves on; multi-label toggles it."""
        item = self.current
        if item is None or not 0 <= choice < len(self.info.choices):
            return
        self.notice = None
        label = self.info.choices[choice]
        if not self.info.multi:
            self._label(item, [label])
            return
        draft = self.chosen
        draft = [c for c in draft if c != label] if label in draft else draft + [label]
        self.draft = [c for c in self.info.choices if c in draft]

    def confirm(self) -> None:
        """Enter: save the toggled labels (multi-label), or keep my saved label and move on."""
        item = self.current
        if item is None:
            return
        mine = list(item.get("mine") or [])
        if self.info.multi and self.draft and self.draft != mine:
            self._label(item, list(self.draft))
        elif mine:
            self.next()
        else:
            self.notice = NOTICES["pick-multi" if self.info.multi else "pick-single"]

    def skip(self) -> None:
        """S: leave the current item unlabeled (the skip is recorded) and move on."""
        item = self.current
        if item is None:
            return
        self.notice = None
        self.label_set.skip(item["key"], annotator=self.annotator)
        self.progress_stale = True
        self._undo.append(_Undo("skip", item, item.get("mine"), item.get("skipped", False)))
        if not item.get("skipped") and self.filter in SHRINKING:
            self._raw_end = max(0, self._raw_end - 1)  # my skips leave my unlabeled list
        item["skipped"] = True
        self._advance()

    def undo(self) -> None:
        """U or Backspace: take back my last label or skip and show that item again."""
        if not self._undo:
            self.notice = NOTICES["nothing-to-undo"]
            return
        entry = self._undo.pop()
        self.label_set.undo(annotator=self.annotator)
        item = entry.item
        item["mine"], item["skipped"] = entry.prev_mine, entry.prev_skipped
        if entry.kind == "label":
            item["labels"] = [x for x in item.get("labels", []) if not self._is_mine(x)]
        back = not entry.prev_mine if entry.kind == "label" else not entry.prev_skipped
        if back and self.filter in SHRINKING:
            self._raw_end += 1  # the item is back in the server's list
        if item in self.items:
            self.index = self.items.index(item)
        self.draft, self.notice = [], None
        self.progress_stale = True

    def next(self) -> None:
        """Arrow right: the next item without labeling this one."""
        self._advance()

    def previous(self) -> None:
        """Arrow left: the previous item."""
        if self.index > 0:
            self.index -= 1
            self.draft, self.notice = [], None

    def refresh_queue(self, strategy: str, **options: Any) -> Any:
        """Train the queue model on the labels so far and walk the uncertain items.

        Returns:
            The queue's description (``DescribeQueue``).
        """
        options.setdefault("progress", self.on_scoring)
        queue = self.label_set.refresh_queue(strategy=strategy, **options)
        self.queue = queue.model_dump(mode="json", include={"strategy", "model_version",
                                                            "trained_on", "scored", "classes"})
        self.set_filter("uncertain", force=True)
        return queue

    def refresh_progress(self) -> None:
        """Count labeled and skipped items again. A count reads every item, so the widget
        draws the next item first and the count after it."""
        self.progress = self.label_set.progress().model_dump()
        self.progress_stale = False

    # -- internals ---------------------------------------------------------------------------

    def _is_mine(self, label: dict[str, Any]) -> bool:
        return label.get("annotator") == self.annotator and label.get("source") == "builtin"

    def _label(self, item: dict[str, Any], labels: list[str]) -> None:
        prev = item.get("mine")
        self.label_set.record(item["key"], labels, annotator=self.annotator)  # durable now
        self._undo.append(_Undo("label", item, prev, item.get("skipped", False)))
        item["mine"] = labels
        item["labels"] = [x for x in item.get("labels", []) if not self._is_mine(x)] + [
            {"labels": labels, "annotator": self.annotator, "source": "builtin", "status": "ok"}
        ]
        if not prev and self.filter in SHRINKING:
            self._raw_end = max(0, self._raw_end - 1)  # it left the server's list
        self.progress_stale = True
        self._advance()

    def _advance(self) -> None:
        if self.index < len(self.items):
            self.index += 1
        self.draft = []
        self._fill()

    def _fill(self) -> None:
        """Fetch pages until the cursor is on an item or the filter has no more."""
        empty = 0
        overlap = OVERLAP if self.filter in SHRINKING else 0
        offset = max(0, self._raw_end - overlap)
        while self.index >= len(self.items) and not self._exhausted:
            try:
                page = self.label_set.items(
                    self.filter, offset=offset, limit=self.page_size, annotator=self.annotator
                )
            except WorkbenchError as error:
                self._exhausted = True
                if error.status == 409:  # e.g. "train the queue model first"
                    self.notice = error.message
                    return
                raise
            self.filter_total = page.total
            self._raw_end = offset = offset + len(page.items)
            fresh = [i.model_dump(mode="json") for i in page.items]
            fresh = [self._inline_images(i) for i in fresh if str(i["key"]) not in self._seen]
            self._seen.update(str(i["key"]) for i in fresh)
            self.items.extend(fresh)
            if len(page.items) < self.page_size:
                self._exhausted = True
            elif not fresh:
                empty += 1
                self._exhausted = empty >= MAX_EMPTY_PAGES

    def _inline_images(self, item: dict[str, Any]) -> dict[str, Any]:
        """Local images the kernel can read travel as data URLs, so the widget shows them in
        any frontend; the others keep the server's image route (the server resolves paths
        against the Jupyter root, which may not be the kernel's directory)."""
        for column, image in item.get("images", {}).items():
            if not image.get("local"):
                continue
            try:
                url = data_url(self.label_set.image_file(item["key"], column), INLINE_IMAGE_BYTES)
            except (WorkbenchError, OSError):
                continue
            if url is not None:
                image.update(url=url, missing=False)
        return item
