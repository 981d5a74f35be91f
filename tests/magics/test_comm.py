"""The grid pages a %%sql result through a comm, in a real kernel (the venv's python3)."""

import contextlib
import os
import time
import uuid

import duckdb
import pytest

from mlworkbench.magics.comm import GONE, TARGET

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")

MIME = "application/vnd.mlworkbench.result+json"
TIMEOUT = 60


@contextlib.contextmanager
def python3_kernel(root, load=True):
    """A python3 kernel on a temp workspace, with the extension loaded unless ``load`` is off."""
    env = {**os.environ, "MLWORKBENCH_HOME": str(root / "ws")}
    manager, client = jupyter_client.manager.start_new_kernel(
        kernel_name="python3", cwd=str(root), env=env, startup_timeout=TIMEOUT
    )
    try:
        if load:
            reply = client.execute_interactive("%load_ext mlworkbench", timeout=TIMEOUT)
            assert reply["content"]["status"] == "ok"
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    with python3_kernel(tmp_path_factory.mktemp("comm")) as client:
        yield client


def run_sql(client, sql):
    """Run a %%sql cell; returns its result payload."""
    bundles = []

    def keep(message):
        if message["msg_type"] == "execute_result":
            bundles.append(message["content"]["data"])

    reply = client.execute_interactive(f"%%sql\n{sql}", timeout=TIMEOUT, output_hook=keep)
    assert reply["content"]["status"] == "ok", reply["content"]
    return bundles[-1][MIME]


def ask(client, data, replies_expected=1):
    """Open a comm on the results target (as the frontend does) and return the one reply;
    checks that the kernel closes the comm after it."""
    comm_id = uuid.uuid4().hex
    message = client.session.msg(
        "comm_open", {"comm_id": comm_id, "target_name": TARGET, "data": data}
    )
    client.shell_channel.send(message)
    replies, closed = [], False
    deadline = time.monotonic() + TIMEOUT
    while not closed and time.monotonic() < deadline:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        content = msg["content"]
        if content.get("comm_id") != comm_id:
            continue
        if msg["msg_type"] == "comm_msg":
            replies.append(content["data"])
        elif msg["msg_type"] == "comm_close":
            closed = True
    assert closed, "the kernel did not close the comm"
    assert len(replies) == replies_expected
    return replies[0] if replies else None


@pytest.fixture(scope="module")
def million(kernel):
    return run_sql(kernel, "SELECT range AS n, range % 7 AS r FROM range(1000000)")


def test_the_cell_payload_names_a_session_with_the_first_page(million):
    assert million["session_id"]
    assert len(million["rows"]) == 100
    assert [c["name"] for c in million["columns"]] == ["n", "r"]


def test_a_page_at_offset_500_is_what_duckdb_returns(kernel, million):
    reply = ask(kernel, {
        "method": "page", "session_id": million["session_id"],
        "request": {"offset": 500, "limit": 100},
    })
    assert reply["ok"], reply
    page = reply["page"]
    expected = duckdb.sql(
        "SELECT range AS n, range % 7 AS r FROM range(1000000) LIMIT 100 OFFSET 500"
    ).fetchall()
    assert page["offset"] == 500
    assert [tuple(r) for r in page["rows"]] == expected
    assert [c["name"] for c in page["columns"]] == ["n", "r"]


def test_a_descending_sort_gives_the_largest_first(kernel, million):
    reply = ask(kernel, {
        "method": "page", "session_id": million["session_id"],
        "request": {"offset": 0, "limit": 3, "sort": [{"column": "n", "descending": True}]},
    })
    assert reply["ok"], reply
    assert [r[0] for r in reply["page"]["rows"]] == [999_999, 999_998, 999_997]


def test_a_filter_pages_through_the_matching_rows(kernel, million):
    reply = ask(kernel, {
        "method": "page", "session_id": million["session_id"],
        "request": {"offset": 0, "limit": 2, "filter": "r = 3"},
    })
    assert reply["ok"], reply
    assert reply["page"]["rows"] == [[3, 3], [10, 3]]


def test_describe_reports_the_total_once_counted(kernel, million):
    deadline = time.monotonic() + TIMEOUT
    while True:
        reply = ask(kernel, {"method": "describe", "session_id": million["session_id"]})
        assert reply["ok"], reply
        if reply["describe"]["total_rows"] is not None or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert reply["describe"]["total_rows"] == 1_000_000
    assert reply["describe"]["status"] == "ready"


def test_an_unknown_session_says_to_run_the_cell_again(kernel, million):
    reply = ask(kernel, {"method": "page", "session_id": "gone", "request": {}})
    assert reply == {
        "ok": False, "message": GONE, "code": "not_found",
        "detail": {"kind": "result", "name": "gone"},
    }
    assert ask(kernel, {"method": "describe", "session_id": "gone"})["message"] == GONE


def test_an_invalid_request_names_the_field(kernel, million):
    reply = ask(kernel, {
        "method": "page", "session_id": million["session_id"],
        "request": {"offset": -1, "limit": 100},
    })
    assert not reply["ok"]
    assert reply["code"] == "invalid_request"
    assert reply["message"].startswith("Invalid 'request.offset':")
    assert reply["detail"]["field"] == "request.offset"


def test_an_unknown_request_field_is_refused(kernel, million):
    reply = ask(kernel, {
        "method": "page", "session_id": million["session_id"], "request": {"ofset": 5},
    })
    assert not reply["ok"]
    assert "request.ofset" in reply["message"]


def test_a_sort_on_a_missing_column_says_so(kernel, million):
    reply = ask(kernel, {
        "method": "page", "session_id": million["session_id"],
        "request": {"sort": [{"column": "nope"}]},
    })
    assert not reply["ok"]
    assert "nope" in reply["message"]


def test_an_unknown_method_or_missing_session_is_refused(kernel):
    assert "Unknown method" in ask(kernel, {"method": "drop", "session_id": "x"})["message"]
    assert "session_id" in ask(kernel, {"method": "page"})["message"]


def test_a_request_before_any_sql_says_to_run_the_cell_again(tmp_path, monkeypatch):
    """After a kernel restart no SQL has run: the answer comes without opening the workspace."""
    from mlworkbench import notebook
    from mlworkbench.magics.comm import answer

    monkeypatch.setattr(notebook, "_runner", None)
    reply = answer({"method": "page", "session_id": "abc", "request": {"offset": 0}})
    assert reply["message"] == GONE
    assert notebook._runner is None


def test_the_kernel_keeps_working_after_the_requests(kernel):
    assert run_sql(kernel, "SELECT 42 AS answer")["rows"] == [[42]]


def test_a_kernel_without_the_extension_closes_the_comm_without_answering(tmp_path):
    """What the frontend reads as 'The kernel has not loaded mlworkbench'."""
    with python3_kernel(tmp_path, load=False) as client:
        assert ask(client, {"method": "describe", "session_id": "x"}, replies_expected=0) is None
