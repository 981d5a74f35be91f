"""Measurements through the REST API of a running server."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from bench.rss import RssSampler
from bench.server import JupyterServer
from bench.timing import Sampler, summarise


def register(server: JupyterServer, paths: dict[str, Path]) -> None:
    """POST /sources for each Parquet file, by its path relative to the Jupyter root."""
    for name, path in paths.items():
        relative = path.relative_to(server.root_dir).as_posix()
        server.call("POST", "/sources", json={"path": relative, "name": name})


def run_query(server: JupyterServer, sql: str, page_size: int = 100) -> tuple[float, dict]:
    """POST /queries; return (ms until the whole answer, first page included, arrived; it)."""
    started = time.perf_counter()
    response = server.call(
        "POST", "/queries", json={"sql": sql, "page_size": page_size, "query_id": _id()}
    )
    return (time.perf_counter() - started) * 1000, response.json()


def close(server: JupyterServer, session_id: str) -> None:
    """DELETE the result session, then wait until no query runs and the server is idle, so
    that background work (the result's copy, which /status does not count) does not disturb
    the next measurement."""
    server.call("DELETE", f"/results/{session_id}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.call("GET", "/status").json()["running_queries"] == 0:
            break
        time.sleep(0.05)
    server.wait_quiet()


def first_page(server: JupyterServer, sql: str) -> Sampler:
    """A sampler: POST /queries (page_size=100), then close the session (not timed)."""

    def run() -> float:
        ms, answer = run_query(server, sql)
        close(server, answer["session_id"])
        return ms

    return run


def page(server: JupyterServer, session_id: str, **request: object) -> tuple[float, dict]:
    """POST /results/{id}/page; return (client-side ms, the QueryPage)."""
    started = time.perf_counter()
    response = server.call("POST", f"/results/{session_id}/page", json=request)
    return (time.perf_counter() - started) * 1000, response.json()


def wait_counted(server: JupyterServer, session_id: str, timeout: float = 900) -> int | None:
    """Wait until the result's total row count is known (status is no longer 'counting')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = server.call("GET", f"/results/{session_id}").json()
        if described["status"] != "counting":
            return described["total_rows"]
        time.sleep(0.1)
    return None


def tour(server: JupyterServer, sql: str, rows: int) -> dict:
    """Open a large result, page and sort through it while sampling the server's RSS."""
    steps = [
        ("page @0", {"offset": 0}),
        ("page @1%", {"offset": rows // 100}),
        ("page @50%", {"offset": rows // 2}),
        ("page @last", {"offset": rows - 100}),
        ("wait until counted", None),
        ("sort h desc @0", {"offset": 0, "sort": [{"column": "h", "descending": True}]}),
        ("sort h desc @50%", {"offset": rows // 2, "sort": [{"column": "h", "descending": True}]}),
        ("sort bucket,id desc @33%", {"offset": rows // 3, "sort": [
            {"column": "bucket"}, {"column": "id", "descending": True}]}),
        ("filter bucket=7 @0", {"offset": 0, "filter": "bucket = 7"}),
        ("page @75% (unsorted)", {"offset": 3 * rows // 4}),
    ]  # fmt: skip
    timings = []
    with RssSampler(server.rss) as rss:
        ms, answer = run_query(server, sql)
        session_id = answer["session_id"]
        timings.append({"step": "first page", "ms": ms, "rows": len(answer["rows"]),
                        "total_rows": answer["total_rows"],
                        "peak_mb": rss.mark() / 2**20})  # fmt: skip
        for label, request in steps:
            if request is None:  # the background copy; sorting and filtering wait for it
                started = time.perf_counter()
                total = wait_counted(server, session_id)
                ms = (time.perf_counter() - started) * 1000
                answer = {"rows": [], "total_rows": total}
            else:
                ms, answer = page(server, session_id, limit=100, **request)
            timings.append({"step": label, "ms": ms, "rows": len(answer["rows"]),
                            "total_rows": answer["total_rows"],
                            "server_ms": answer.get("elapsed_ms"),
                            "peak_mb": rss.mark() / 2**20})  # fmt: skip
        close(server, session_id)
    return {
        "steps": timings,
        "rss_baseline_mb": rss.baseline / 2**20,
        "rss_peak_mb": rss.peak / 2**20,
        "rss_growth_mb": rss.growth / 2**20,
        "rss_samples": rss.samples,
    }


def page_latency(server: JupyterServer, sql: str, rows: int, runs: int = 30) -> dict:
    """Median time of POST /results/{id}/page for 1,000 rows at offsets spread over the result."""
    _, answer = run_query(server, sql)
    session_id = answer["session_id"]
    wait_counted(server, session_id)
    limit = 1000
    page(server, session_id, offset=0, limit=limit)  # warm-up
    times, server_times, sizes = [], [], []
    for i in range(runs):
        offset = (i * 7919 * limit) % max(1, rows - limit)
        started = time.perf_counter()
        response = server.call(
            "POST", f"/results/{session_id}/page", json={"offset": offset, "limit": limit}
        )
        times.append((time.perf_counter() - started) * 1000)  # body received, not yet parsed
        body = response.json()
        server_times.append(body["elapsed_ms"])
        sizes.append(len(response.content))
        assert len(body["rows"]) == limit and len(body["columns"]) == 20, "unexpected page shape"
    close(server, session_id)
    return {
        **summarise(times),
        "server_median_ms": summarise(server_times)["median_ms"],
        "bytes_per_page": sum(sizes) // len(sizes),
    }


def _id() -> str:
    return "bench-" + uuid.uuid4().hex[:12]
