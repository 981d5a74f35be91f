"""Two processes use one workspace at once and see each other's changes."""

from __future__ import annotations

import threading
import time

from mlworkbench.core import Workspace
from mlworkbench.schemas import RegisterSourceRequest

from .conftest import python, run, write_csv

ROUNDS = 6


def test_a_second_process_registers_and_saves_while_the_first_queries(root):
    path = root / ".mlworkbench"
    ws = Workspace.open(path, root_dir=root)
    try:
        ws.tables.save_query("from_server", "SELECT range AS id FROM range(100)")
        for i in range(ROUNDS):
            write_csv(root / "data" / f"file{i}.csv", f"id\n{i}\n")
        child = python(
            f"""
            import time
            from mlworkbench.core import Workspace
            from mlworkbench.schemas import RegisterSourceRequest, RunQueryRequest
            ws = Workspace.open({str(path)!r}, root_dir={str(root)!r})
            for i in range({ROUNDS}):
                ws.catalog.register_source(RegisterSourceRequest(path=f"data/file{{i}}.csv"))
                # Reads what the first process saved, and saves for it to read.
                ws.tables.save_query(
                    f"kernel_{{i}}",
                    f"SELECT count(*) AS n, {{i}} AS i FROM from_server",
                )
            # Wait until the first process says it saw everything, by saving a table.
            deadline = time.monotonic() + 120
            while "server_done" not in ws.catalog.names():
                assert time.monotonic() < deadline, "never saw server_done"
                time.sleep(0.05)
            rows = ws.sql.run(RunQueryRequest(sql="SELECT ok FROM server_done")).rows
            print("child saw", rows)
            ws.close()
            """,
            wait=False,
            stdout=-1,
            stderr=-1,
            text=True,
        )
        # Query continuously from several threads while the child changes the catalog.
        stop = threading.Event()
        errors: list[BaseException] = []

        def query_loop():
            while not stop.is_set():
                try:
                    assert run(ws, "SELECT count(*) AS n FROM from_server").rows == [[100]]
                except BaseException as error:  # noqa: BLE001 - collected for the assertion
                    errors.append(error)
                    return

        threads = [threading.Thread(target=query_loop) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 180
        try:
            while True:
                names = ws.catalog.names()
                if all(f"kernel_{i}" in names for i in range(ROUNDS)):
                    break
                assert child.poll() is None, child.communicate()[1]
                assert time.monotonic() < deadline, "the child's tables never appeared"
                time.sleep(0.05)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        assert errors == []
        # Everything the child made is visible here, through SQL and the catalog.
        assert run(
            ws,
            "SELECT sum(id) AS s FROM "
            + " UNION ALL SELECT sum(id) FROM ".join(f"file{i}" for i in range(ROUNDS)),
        ).rows[0] == [0]
        union = " UNION ALL ".join(f"SELECT n, i FROM kernel_{i}" for i in range(ROUNDS))
        rows = run(ws, f"SELECT n, i FROM ({union}) ORDER BY i").rows
        assert rows == [[100, i] for i in range(ROUNDS)]
        described = ws.catalog.describe()
        assert {s.name for s in described.sources} == {f"file{i}" for i in range(ROUNDS)}
        ws.tables.save_query("server_done", "SELECT true AS ok")
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert "child saw [[True]]" in out
    finally:
        ws.close()


def test_a_source_removed_by_another_workspace_disappears_from_views(root):
    path = root / ".mlworkbench"
    write_csv(root / "data" / "shared.csv")
    first = Workspace.open(path, root_dir=root)
    second = Workspace.open(path, root_dir=root)
    with first, second:
        first.catalog.register_source(RegisterSourceRequest(path="data/shared.csv"))
        assert run(second, "SELECT count(*) AS n FROM shared").rows == [[3]]
        second.catalog.remove_source("shared")
        assert "shared" not in first.catalog.names()
        assert first.catalog.describe().sources == []
