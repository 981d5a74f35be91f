"""The Label Studio bridge: a label set <-> a Label Studio project.

- :meth:`Studio.connect` creates a project with a generated label config (or links one).
- :meth:`Studio.push` sends items as tasks in batches, only those not pushed before (the task
  map, ``studio_tasks``), optionally with a model's predictions as pre-annotations.
- :meth:`Studio.pull` brings annotations back into the label set: the first pull reads an
  export snapshot of the project, later ones only the tasks changed since (a Data Manager filter
  on the tasks' ``updated_at``; the reading is in ``studio_read``). Everything read is written in
  one ``record_many`` transaction, so a failed pull writes nothing. Tasks and annotations deleted
  in Label Studio flag their labels 'deleted_upstream'.

The URL and API key come from the server's config or the environment (:class:`Connection`);
the link state (URL, project, watermark, counts) is stored with the label set, never the key.
"""

from __future__ import annotations

import json
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from mlworkbench.core.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    StudioKeyRefusedError,
    StudioUnreachableError,
    WorkbenchError,
)
from mlworkbench.core.labeling.journal import LabelEvent
from mlworkbench.core.labeling.studio_client import (
    Connection,
    StudioClient,
    server_time,
)
from mlworkbench.core.labeling.studio_config import (
    KEY_FIELD,
    TaskBuilder,
    label_config,
    result_labels,
)
from mlworkbench.core.labeling.studio_predict import Predictor, predictor
from mlworkbench.core.labeling.studio_read import changed_tasks, export_annotated, list_tasks
from mlworkbench.core.labeling.studio_rows import item_batches
from mlworkbench.core.labeling.studio_tasks import TaskMap
from mlworkbench.core.tasks import Progress
from mlworkbench.core.workspace.store import LabelStateRow
from mlworkbench.schemas.studio import (
    DescribeStudioLink,
    PullStudioResult,
    PushStudioResult,
    StudioCounts,
)

if TYPE_CHECKING:
    from mlworkbench.core.labeling.label_sets import LabelSet, LabelSets

# A pull reads the tasks changed since the last one's server time, less this much (clocks and
# commits in flight): a task changed within it is read again, which is harmless (idempotent).
WATERMARK_OVERLAP = timedelta(seconds=1)

KIND = "labelstudio"
SOURCE = "labelstudio"
# Label Studio recounts the project's task states after every import call, so many small
# calls cost more than a few big ones (1,000 per call: 0.6-0.85x one 10,000-task call). At
# 5,000 the server's CPU time for 10,000 tasks is within 3% of one call's (5.8 s vs 5.65 s
# here); the wall time is that plus what cannot overlap: reading the first batch, encoding
# it, and writing the last batch's task map.
PUSH_BATCH = 5000
# The first import carries fewer, so Label Studio starts while the next batch is read and built
# (10,000 tasks: 0.98x one raw import call in two rounds, against 0.87-0.93x with 5,000 first).
FIRST_PUSH_BATCH = 1000
# One import runs while the next batch is read and built. Two at once were slower (8.3-8.7 s
# instead of 6.3-6.7 s for 10,000 tasks): the server's SQLite makes the second wait for the lock.
IMPORTS_IN_FLIGHT = 1


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Studio:
    """The bridge for every label set of a workspace.

    Args:
        labels: The workspace's label sets (``ws.labels``).
        root_dir: Local image paths resolve against it.
        url, api_key: Label Studio's URL and key (default: ``$LABEL_STUDIO_URL`` and
            ``$LABEL_STUDIO_API_KEY``).
    """

    def __init__(self, labels: LabelSets, root_dir: Path, *, url: str | None = None,
                 api_key: str | None = None) -> None:
        self._labels = labels
        self._root = Path(root_dir)
        self._url = url
        self._api_key = api_key
        self._clients: dict[tuple[str, str], StudioClient] = {}

    # --- linking -------------------------------------------------------------------------

    def client(self, url: str | None = None) -> StudioClient:
        """A client for the URL (default: the configured one) and the configured key, made
        once per URL and key (an SDK client takes about 0.1 s to build)."""
        connection = Connection.resolve(url or self._url, self._api_key)
        known = (connection.url, connection.api_key)
        if known not in self._clients:
            self._clients[known] = StudioClient(connection)
        return self._clients[known]

    def configuration_problem(self, url: str | None = None) -> str | None:
        """Why no client can be made (no URL or key configured), or None when one can."""
        try:
            Connection.resolve(url or self._url, self._api_key)
        except InvalidRequestError as e:
            return e.message
        return None

    def connect(self, name: str, *, url: str | None = None, project_id: int | None = None,
                title: str | None = None) -> DescribeStudioLink:
        """Link label set ``name`` to a Label Studio project: a new one with the generated label
        config, or ``project_id``. Connecting again to the same project changes nothing; when
        the linked project was deleted in Label Studio, a new one is created (and the old
        project's task map forgotten, so the next push sends every item).

        Raises:
            StudioUnreachableError, StudioKeyRefusedError: Label Studio cannot be used.
            NotFoundError: ``project_id`` does not exist there.
        """
        label_set = self._labels.get(name)
        client = self.client(url)
        client.whoami()
        link = label_set.link(KIND) or {}
        if project_id is None and link.get("url") == client.url and link.get("project_id"):
            try:
                client.call(f"read project {link['project_id']}", client.sdk.projects.get,
                            link["project_id"])
                project_id = link["project_id"]
            except NotFoundError:  # deleted upstream: its tasks went with it
                TaskMap(label_set._store, label_set.id, link["project_id"]).forget()
        elif project_id is not None:
            client.call(f"read project {project_id}", client.sdk.projects.get, project_id)
        if project_id is None:
            config = label_config(label_set.kind, label_set.show, label_set.choices,
                                  label_set.multi)
            project = client.call("create a project", client.sdk.projects.create,
                                  title=(title or f"mlworkbench: {name}")[:50],
                                  label_config=config, resend=False)
            project_id = project.id
        if link.get("project_id") != project_id or link.get("url") != client.url:
            link = {"url": client.url, "project_id": int(project_id), "pushed": 0, "pulled": 0,
                    "watermark": None, "last_pull_at": None, "last_push_at": None,
                    "connected_at": _now().isoformat()}
            label_set.set_link(KIND, link)
        return self.describe(name)

    def describe(self, name: str) -> DescribeStudioLink:
        """The link's state and counts (asks Label Studio for the project's counts; an
        unreachable server or refused key is reported in ``state``, not raised)."""
        label_set = self._labels.get(name)
        link = label_set.link(KIND)
        problem = self.configuration_problem(link["url"] if link else None)
        if not link:
            return DescribeStudioLink(
                label_set=name, state="not_connected", configured=problem is None,
                message=problem or "Not linked to Label Studio: connect first.")
        described = DescribeStudioLink(
            label_set=name, state="ok", url=link["url"], project_id=link["project_id"],
            project_url=f"{link['url']}/projects/{link['project_id']}/data",
            last_push_at=_parse_time(link.get("last_push_at")),
            last_pull_at=_parse_time(link.get("last_pull_at")),
        )
        if problem is not None:
            return described.model_copy(update={"state": "not_configured", "configured": False,
                                                "message": problem})
        try:
            client = self.client(link["url"])
            project = client.call(f"read project {link['project_id']}",
                                  client.sdk.projects.get, link["project_id"])
        except StudioUnreachableError as e:
            return described.model_copy(update={"state": "unreachable", "message": e.message})
        except StudioKeyRefusedError as e:
            return described.model_copy(update={"state": "key_refused", "message": e.message})
        except NotFoundError:
            return described.model_copy(update={
                "state": "project_missing",
                "message": f"Project {link['project_id']} no longer exists in Label Studio at "
                f"{link['url']}: connect again to create a new one."})
        tasks = TaskMap(label_set._store, label_set.id, link["project_id"])
        described.counts = StudioCounts(
            tasks=int(project.task_number or 0),
            annotated=int(getattr(project, "num_tasks_with_annotations", 0) or 0),
            pushed=tasks.count(),
            pulled=tasks.pulled_count(),
            **_flagged(label_set),
        )
        return described

    def check_linked(self, name: str) -> None:
        """Raise what a push or pull would before it starts: no such label set (404), not
        linked (409), no URL or key configured (422)."""
        self._linked(name)

    def _linked(self, name: str) -> tuple[LabelSet, dict, StudioClient]:
        label_set = self._labels.get(name)
        link = label_set.link(KIND)
        if not link:
            raise ConflictError(f"Label set '{name}' is not linked to Label Studio: connect it "
                                "first (POST /labelsets/{name}/studio/connect or "
                                "'mlworkbench labels connect').")
        return label_set, link, self.client(link["url"])

    def _project(self, client: StudioClient, link: dict) -> tuple[dict, datetime]:
        """The project (as JSON) and the server's clock at the time."""
        try:
            response = client.get(f"read project {link['project_id']}",
                                  f"api/projects/{link['project_id']}")
        except NotFoundError:
            raise NotFoundError(
                "Label Studio project", str(link["project_id"]),
                f"Project {link['project_id']} no longer exists in Label Studio at "
                f"{link['url']}: connect again to create a new one.") from None
        return json.loads(response.content), server_time(response)

    # --- push ----------------------------------------------------------------------------

    def push(self, name: str, *, sql: str | None = None, batch_size: int = PUSH_BATCH,
             predictions_from: str | None = None, model: Any = None,
             model_version: str | None = None,
             progress: Progress | None = None) -> PushStudioResult:
        """Push the items not pushed before as tasks, ``batch_size`` per import call.

        Args:
            name: The label set (linked with :meth:`connect`).
            sql: A SELECT of the items (key column + shown columns); default: the queue in
                rank order when it exists, else every item.
            batch_size: Tasks per import call.
            predictions_from: 'queue': the queue's predicted label and confidence go along as
                pre-annotations.
            model: A fitted scikit-learn classifier (``predict_proba`` on the source columns)
                or a callable ``f(DataFrame) -> [(labels, score), ...]``: its predictions go
                along as pre-annotations.
            model_version: Shown in Label Studio (default: the model's own version).
            progress: Reports items read of the total; cancelling stops between batches (the
                tasks already created stay known, so pushing again resumes).

        Raises:
            ConflictError: Not connected. QueryError: a bad ``sql``.
            LabelStudioError (unreachable, key refused, a call refused).
        """
        started = time.perf_counter()
        progress = progress or Progress("push")
        label_set, link, client = self._linked(name)
        tasks = TaskMap(label_set._store, label_set.id, link["project_id"])
        predict: Predictor | None = predictor(label_set, predictions_from, model, model_version)
        builder = TaskBuilder(label_set.kind, label_set.show, self._root)
        pushed = skipped = predictions = done = 0
        pending: deque[tuple[Future, list[str]]] = deque()
        with ThreadPoolExecutor(IMPORTS_IN_FLIGHT, thread_name_prefix="mlworkbench-push") as sender:
            # Label Studio answers about the project while DuckDB reads the first items.
            asked = sender.submit(self._known_keys, client, link, tasks)
            try:
                batches = item_batches(label_set, sql, batch_size,
                                       with_queue=predictions_from == "queue",
                                       all_columns=bool(predict and predict.all_columns),
                                       first_size=FIRST_PUSH_BATCH)
            except BaseException:
                asked.result()  # a missing project is said before a bad query
                raise
            # Several imports at once may land in either order: only when it does not matter.
            in_flight = 1 if batches.ordered else IMPORTS_IN_FLIGHT
            known: dict[str, int] | None = None
            progress.update(0, None, "Reading items")  # the total comes with the first rows
            try:
                for rows in batches:
                    progress.check()
                    if known is None:
                        known = asked.result()
                    fresh = [r for r in rows if r["item_key"] not in known]
                    skipped += len(rows) - len(fresh)
                    done += len(rows)
                    if not fresh:
                        progress.update(done, batches.total)
                        continue
                    payload = self._tasks_payload(builder, fresh, predict)
                    predictions += sum(len(t.get("predictions", ())) for t in payload)
                    keys = [r["item_key"] for r in fresh]
                    known.update(dict.fromkeys(keys, 0))
                    if len(pending) >= in_flight and pending[0][0].exception() is not None:
                        self._finish_import(pending.popleft(), tasks)  # raises its error
                    future = sender.submit(client.import_tasks, link["project_id"], payload)
                    pending.append((future, keys))
                    while len(pending) > in_flight:  # mapped while the next one imports
                        pushed += self._finish_import(pending.popleft(), tasks)
                    progress.update(done, batches.total, f"Pushed {pushed} of {done} items")
                if known is None:
                    asked.result()  # nothing to push: still says when the project is gone
                while pending:
                    pushed += self._finish_import(pending.popleft(), tasks)
            except BaseException:
                # Keep what the imports in flight created: pushing again then resumes.
                for future, keys in pending:
                    if future.exception() is None:
                        self._finish_import((future, keys), tasks)
                raise
        link = label_set.link(KIND) or link
        link.update(pushed=tasks.count(), last_push_at=_now().isoformat())
        if predict is not None:
            link["model_version"] = predict.version
        label_set.set_link(KIND, link)
        progress.update(done, done, f"Pushed {pushed} new tasks ({skipped} already there)")
        return PushStudioResult(
            project_id=link["project_id"], pushed=pushed, skipped=skipped,
            predictions=predictions, model_version=predict.version if predict else None,
            seconds=round(time.perf_counter() - started, 3),
        )

    def _known_keys(self, client: StudioClient, link: dict, tasks: TaskMap) -> dict[str, int]:
        """The items already pushed to the project (item key -> task id), with the tasks a
        lost import answer left unmapped found first.

        Raises:
            NotFoundError: the project was deleted in Label Studio.
        """
        project, _ = self._project(client, link)
        self._adopt_unmapped(client, link, project, tasks)
        return tasks.keys()

    @staticmethod
    def _tasks_payload(builder: TaskBuilder, rows: list[dict], predict: Predictor | None):
        if predict is None:
            return [builder.data(r["item_key"], r) for r in rows]
        payload = []
        for row, guess in zip(rows, predict(rows)):
            task: dict[str, Any] = {"data": builder.data(row["item_key"], row)}
            if guess is not None:
                task["predictions"] = [guess]
            payload.append(task)
        return payload

    @staticmethod
    def _finish_import(pending: tuple[Future, list[str]], tasks: TaskMap) -> int:
        future, keys = pending
        ids = future.result()
        if len(ids) != len(keys):
            raise WorkbenchError(
                f"Label Studio created {len(ids)} tasks for {len(keys)} items; push again to "
                "reconcile (items already there are recognised by their key).")
        tasks.add(zip(keys, ids))
        return len(ids)

    def _adopt_unmapped(self, client: StudioClient, link: dict, project: dict,
                        tasks: TaskMap) -> None:
        """Tasks created by an import whose answer was lost (a timeout) are in the project but
        not in the map: find them by id (above the highest known) and their ``mlwb_key``."""
        expected = tasks.live_count() + int(link.get("foreign", 0))
        if int(project.get("task_number") or 0) <= expected:
            return
        found = []
        for task in list_tasks(client, link["project_id"], above_id=tasks.max_task_id()):
            key = (task.get("data") or {}).get(KEY_FIELD)
            if key is not None:
                found.append((str(key), task["id"]))
        tasks.add(found)

    # --- pull ----------------------------------------------------------------------------

    def pull(self, name: str, *, progress: Progress | None = None,
             full: bool = False) -> PullStudioResult:
        """Bring annotations made in Label Studio into the label set (source 'labelstudio',
        external id = the annotation id); only tasks changed since the last pull are read.

        Args:
            name: The label set (linked with :meth:`connect`).
            progress: Reports tasks read; cancelling before the write writes nothing.
            full: Read every annotated task, not only the changed ones.

        Returns:
            Counts of what was read and written.

        Raises:
            ConflictError: Not connected. NotFoundError: the project was deleted.
            LabelStudioError (unreachable, key refused, a call refused): nothing was
            written.
        """
        started = time.perf_counter()
        progress = progress or Progress("pull")
        label_set, link, client = self._linked(name)
        project_id = link["project_id"]
        watermark = None if full else _parse_time(link.get("watermark"))
        progress.update(0, None, "Asking Label Studio for changes")
        with ThreadPoolExecutor(3, thread_name_prefix="mlworkbench-pull") as pool:
            # The project, the users and the changed tasks are independent: ask at once.
            asked_project = pool.submit(self._project, client, link)
            asked_users = pool.submit(self._users, client)
            asked_changes = (pool.submit(changed_tasks, client, project_id, watermark)
                             if watermark is not None else None)
            project, server_now = asked_project.result()
            read = asked_changes.result() if asked_changes is not None else None
            users = asked_users.result()
        incremental = read is not None
        if not incremental:
            progress.update(0, None, "Exporting annotated tasks")
            read = export_annotated(client, project_id, progress)
        progress.update(len(read), len(read), f"Read {len(read)} tasks")
        progress.check()
        tasks = TaskMap(label_set._store, label_set.id, project_id)
        events, seen = _events(read, tasks, users)
        unknown = sum(1 for e in events if any(v not in label_set.choices for v in e.labels))
        progress.check()
        written = label_set.record_many(events) if events else 0
        vanished = tasks.set_annotations(seen, everything=not incremental)
        if vanished:  # annotations deleted in Label Studio, their tasks still there
            label_set.flag_external(SOURCE, vanished, "deleted_upstream")
        deleted = self._flag_deleted(client, label_set, link, project, tasks)
        link = label_set.link(KIND) or link
        link.update(
            watermark=(server_now - WATERMARK_OVERLAP).isoformat(),
            last_pull_at=_now().isoformat(),
            pulled=tasks.pulled_count(),
        )
        label_set.set_link(KIND, link)
        progress.update(len(read), len(read), f"Pulled {len(events)} annotations")
        return PullStudioResult(
            project_id=project_id, incremental=incremental, tasks_read=len(read),
            annotations=len(events), written=written, unknown_labels=unknown,
            deleted_tasks=deleted, deleted_annotations=len(vanished),
            seconds=round(time.perf_counter() - started, 3),
        )

    def _users(self, client: StudioClient) -> dict[int, str]:
        users = client.call("list users", client.sdk.users.list)
        return {u.id: (u.email or u.username or f"labelstudio-user-{u.id}") for u in users}

    def _flag_deleted(self, client: StudioClient, label_set: LabelSet, link: dict,
                      project: dict, tasks: TaskMap) -> int:
        """Compare the project's task count with the tasks we know; when it is lower than
        expected, list the project's task ids and flag the labels of the missing ones."""
        live = tasks.live_count()
        foreign = int(link.get("foreign", 0))
        if int(project.get("task_number") or 0) >= live + foreign:
            return 0
        present = {t["id"] for t in list_tasks(client, link["project_id"], include="id")}
        known = tasks.live_task_ids()
        gone = known - present
        link["foreign"] = len(present - known)
        if gone:
            annotation_ids = tasks.mark_deleted(gone)
            if annotation_ids:
                label_set.flag_external(SOURCE, annotation_ids, "deleted_upstream")
        return len(gone)


def _flagged(label_set: LabelSet) -> dict[str, int]:
    """Current labels from Label Studio flagged 'unknown_label' / 'deleted_upstream'."""
    with label_set._store.read() as session:
        rows = session.execute(
            select(LabelStateRow.status, func.count())
            .where(LabelStateRow.label_set_id == label_set.id, LabelStateRow.source == SOURCE,
                   LabelStateRow.labels.is_not(None),
                   LabelStateRow.status.in_(("unknown_label", "deleted_upstream")))
            .group_by(LabelStateRow.status))
        counted = dict(rows.all())
    return {"unknown_labels": int(counted.get("unknown_label", 0)),
            "deleted_upstream": int(counted.get("deleted_upstream", 0))}


def _events(read: list[dict], tasks: TaskMap, users: dict[int, str]):
    """Label events of the tasks read, and task id -> (key, annotation ids) seen."""
    by_task = {task_id: key for key, task_id in tasks.keys().items()}
    events: list[LabelEvent] = []
    seen: dict[int, tuple[str, list[str]]] = {}
    for task in read:
        key = (task.get("data") or {}).get(KEY_FIELD)
        key = str(key) if key is not None else by_task.get(task["id"])
        if key is None:
            continue  # not an item of this label set (no key to trace it back)
        ids = []
        for annotation in task.get("annotations") or []:
            if annotation.get("was_cancelled"):
                continue
            labels = result_labels(annotation.get("result"))
            if labels is None:
                continue
            ids.append(str(annotation["id"]))
            who = annotation.get("completed_by")
            who = who.get("id") if isinstance(who, dict) else who
            events.append(LabelEvent(
                key=key, labels=labels, annotator=users.get(who, f"labelstudio-user-{who}"),
                source=SOURCE, at=_parse_time(annotation.get("updated_at")),
                external_id=str(annotation["id"])))
        seen[task["id"]] = (key, ids)
    return events, seen


__all__ = ["Studio", "Connection"]
