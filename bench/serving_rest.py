"""REST serving beside MLflow's: the same scikit-learn pipeline behind ``mlflow models serve``
and behind ``mlworkbench serve``, called single-row from a load generator on loopback.

A model is trained by our engine (``ws.training``, its own process) on a generated table (two
numbers, a category), published, and exported with our own MLflow export
(``ws.registry.export_mlflow``: MLmodel with the python_function and skops sklearn flavours,
five real training rows as the input example), which ``mlflow models serve`` then serves from
the bench venv (``.venv-bench``; mlworkbench importable through PYTHONPATH, as the export's
README asks): every bench run proves MLflow's tooling serves our export. Both servers run as
subprocesses on free ports; MLflow with ``--env-manager local`` and its default worker count,
ours with its defaults.

The load generator (this process) keeps one HTTP/1.1 connection per client thread
(``http.client``, keep-alive) and posts ``{"dataframe_records": [row]}``:

- latency: one client, requests one after another; p50 and p99 of the round trip;
- throughput: ``--clients`` clients at once for ``--requests`` requests in all; answered
  requests per second.

Both servers stay up; ``--rounds`` rounds alternate them and each keeps its best round.

Targets of issue 7: our p50 and p99 at most 1/3 of MLflow's, our throughput at least 3x. They
are printed and written as JSON (``--out``), never asserted. Run: ``python bench/serving_rest.py``
(``--quick`` for a short run). If MLflow cannot be started, the reason is printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
TABLE = """
    SELECT ['basic', 'plus', 'pro'][i % 3 + 1] AS plan, (i * 7 % 97) AS tenure,
           (hash(i) % 1000) / 100.0 AS usage,
           CASE WHEN (hash(i) % 1000) / 100.0 + (i * 7 % 97) / 10.0 > 10 THEN 'yes'
                ELSE 'no' END AS churned
    FROM range({rows}) t(i)
"""
ROW = {"plan": "pro", "tenure": 42, "usage": 3.5}
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train_and_publish(root: Path, rows: int, budget: float):
    """A workspace with 'bench' version 1 published from a real training run."""
    from mlworkbench.core import Workspace

    ws = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    ws.tables.save_query("churn", TABLE.format(rows=rows))
    run_id = ws.training.start(sql="SELECT * FROM churn", target="churned", budget_s=budget,
                               experiment="bench")
    described = ws.training.wait(run_id)
    if described.status != "finished":
        raise SystemExit(f"training failed: {described.error}")
    ws.registry.publish(run_id, "bench")
    return ws


def export_for_mlflow(ws, folder: Path) -> Path:
    """The published version as an MLflow model directory, written by our export."""
    example = ws.query("SELECT plan, tenure, usage FROM churn LIMIT 5")
    exported = ws.registry.export_mlflow("bench@1", folder / "mlflow-model",
                                         input_example=example)
    return folder / exported.path  # relative to the root (the folder), or absolute


def wait_up(port: int, path: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: "
                               f"{process.stderr.read()[-2000:] if process.stderr else ''}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"not answering {path} after {timeout:.0f} s")


class Client:
    """One keep-alive connection posting single rows."""

    def __init__(self, port: int, path: str, headers: dict[str, str]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.path = path
        self.headers = {"Content-Type": "application/json", **headers}
        self.body = json.dumps({"dataframe_records": [ROW]})

    def post(self) -> float:
        started = time.perf_counter()
        self.connection.request("POST", self.path, body=self.body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {data[:300]!r}")
        return time.perf_counter() - started


def measure(port: int, path: str, headers: dict[str, str], *, latency_requests: int,
            clients: int, requests: int) -> dict:
    """p50/p99 of one client's requests, then the throughput of ``clients`` at once."""
    client = Client(port, path, headers)
    for _ in range(30):
        client.post()  # warm: model loaded, caches filled
    times = sorted(client.post() for _ in range(latency_requests))
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    per_client = max(1, requests // clients)
    errors: list[BaseException] = []
    pool = [Client(port, path, headers) for _ in range(clients)]
    for c in pool:
        c.post()

    def work(c: Client) -> None:
        try:
            for _ in range(per_client):
                c.post()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(c,)) for c in pool]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"requests failed: {errors[0]}")
    return {"p50_ms": round(p50, 3), "p99_ms": round(p99, 3),
            "throughput_rps": round(per_client * clients / elapsed, 1),
            "latency_requests": latency_requests, "clients": clients,
            "requests": per_client * clients}


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="training rows")
    parser.add_argument("--budget", type=float, default=10, help="training budget, seconds")
    parser.add_argument("--latency-requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per server")
    parser.add_argument("--quick", action="store_true", help="200 latency, 400 load requests")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.latency_requests, args.requests = 200, 400
    options = {"latency_requests": args.latency_requests, "clients": args.clients,
               "requests": args.requests}
    results: dict = {"options": {**options, "rows": args.rows}}
    folder = Path(tempfile.mkdtemp(prefix="mlwb-serving-rest-"))
    ws = train_and_publish(folder, args.rows, args.budget)
    try:
        mlflow_dir = export_for_mlflow(ws, folder)
    except Exception as error:  # reported: the bench still measures ours
        mlflow_dir = None
        results["mlflow_error"] = f"could not export the model for mlflow: {error}"
    workspace = ws.path
    ws.close()

    token = "bench-token"
    ours_port = free_port()
    ours = subprocess.Popen(
        [sys.executable, "-m", "mlworkbench.cli", "--workspace", str(workspace), "serve",
         "--port", str(ours_port), "--token", token],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    processes = [ours]
    ours_path = ("/mlworkbench/api/models/bench@1/predict", {"Authorization": f"token {token}"})
    servers = {"mlworkbench": (ours_port, *ours_path)}
    try:
        wait_up(ours_port, "/health", ours)
        if mlflow_dir is not None:
            mlflow_port = free_port()
            mlflow = subprocess.Popen(
                [str(BENCH_PYTHON), "-m", "mlflow", "models", "serve", "-m", str(mlflow_dir),
                 "--env-manager", "local", "--host", "127.0.0.1", "-p", str(mlflow_port)],
                cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                # mlflow starts `uvicorn` from PATH: the bench venv's
                # MLflow 3 deserialises no model (skops included) without this opt-in
                env={**os.environ, "PYTHONPATH": str(ROOT),
                     "MLFLOW_ALLOW_PICKLE_DESERIALIZATION": "true",
                     "PATH": f"{BENCH_PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}"},
                start_new_session=True)
            processes.append(mlflow)
            try:
                wait_up(mlflow_port, "/ping", mlflow)
                servers["mlflow"] = (mlflow_port, "/invocations", {})
            except RuntimeError as error:
                results["mlflow_error"] = f"mlflow models serve: {error}"
        # Rounds alternate the servers (the machine's load drifts during a run); each keeps
        # its best round (lowest p50). Idle servers take no CPU meanwhile.
        for round_ in range(args.rounds):
            for name, (port, path, headers) in servers.items():
                measured = measure(port, path, headers, **options)
                print(f"round {round_ + 1} {name}:", measured, flush=True)
                if name not in results or measured["p50_ms"] < results[name]["p50_ms"]:
                    results[name] = measured
    finally:
        for process in processes:
            stop(process)
    if "mlflow" in results:
        ours_r, theirs = results["mlworkbench"], results["mlflow"]
        results["ratios"] = {
            "p50": round(ours_r["p50_ms"] / theirs["p50_ms"], 3),
            "p99": round(ours_r["p99_ms"] / theirs["p99_ms"], 3),
            "throughput": round(ours_r["throughput_rps"] / theirs["throughput_rps"], 2)}
        r = results["ratios"]
        ok = r["p50"] <= 1 / 3 and r["p99"] <= 1 / 3 and r["throughput"] >= 3
        print(f"ours/MLflow: p50 {r['p50']}x, p99 {r['p99']}x (target <= 0.333), throughput "
              f"{r['throughput']}x (target >= 3): {'met' if ok else 'NOT met'}")
    else:
        print("MLflow not measured:", results.get("mlflow_error"))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
