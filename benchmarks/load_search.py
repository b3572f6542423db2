#!/usr/bin/env python3
"""Load run: 50 concurrent citizens searching the portal for 60 s, the portal served by a production WSGI server
(gunicorn), and the same load against CKAN's development server (`ckan run`) as the baseline, in the same run.

1. The corpus: the generated datasets of search_overhead.py (10,000 by default: Chinese titles and notes in 20
   organisations, created once in the bench database and reused) plus the demo records (`ckan hlj demo load`'s
   code, idempotent), all indexed into the fresh Solr node of the run with CKAN's own indexing code.
2. For each server in turn — gunicorn with N sync workers (default 2 × CPUs + 1, the application loaded in each
   worker after the fork, as the Docker image's uWSGI does with --lazy-apps), then `ckan run` (werkzeug,
   single-threaded, no reloader or debugger: what `make run` serves) — on a free loopback port, with the bench
   config: wait until it answers (for gunicorn, until every worker has loaded CKAN), a short warm-up (every query on
   both endpoints, untimed), then locust headless: --users 50 --spawn-rate 50 --run-time 60s
   (benchmarks/load_search_users.py: the search page and the search API, half and half). The server is stopped
   before the next one starts.
3. Per server and endpoint: requests, failures, requests/s, median (p50), p95 and p99 response times (locust's
   figures); the ratios gunicorn / development server; CPU used meanwhile by the server, Solr, locust and
   everything else on the machine. Written to benchmarks/results/load-search.{json,md}.

The gunicorn run must end with 0 failures (exit status 1 otherwise); the baseline's failures are reported.

    bash benchmarks/load_search.sh [--datasets N] [--users 50] [--run-time 60] [--workers N]

(the wrapper sets up the bench environment and its Solr node, then runs this with --ini and --solr-url).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import datetime as dt
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import search_overhead as corpus  # noqa: E402 - the benchmarks folder is no package

# The queries: the 20 of search_overhead.py over the generated corpus, and words of the demo records
# (ckanext-hlj/demo/records.yaml and the 2017 opinions). Request names group locust's figures per endpoint.
QUERIES = [*corpus.QUERIES, "政务公开", "实施意见", "行政许可决定公示", "最低生活保障", "消防设计审查"]
PAGE = "/dataset/?q=[query]"
API = "/api/3/action/package_search?q=[query]"

# gunicorn's worker hook: each worker leaves a file once it has loaded the application, so that the load starts
# when every worker can answer, not while some are still importing CKAN.
GUNICORN_CONF = """\
from pathlib import Path


def post_worker_init(worker):
    (Path({ready!r}) / str(worker.pid)).touch()
"""


def application() -> Any:
    """gunicorn's application factory (`load_search:application()`): CKAN's WSGI app from $CKAN_INI, as the
    Docker image's wsgi.py builds it."""
    from ckan.cli import load_config  # noqa: PLC0415
    from ckan.config.middleware import make_app  # noqa: PLC0415

    return make_app(load_config(os.environ["CKAN_INI"]))


# --- the corpus --------------------------------------------------------------------------------------------------


def prepare_corpus(ini: str, solr_url: str, datasets: int, workers: int) -> dict[str, Any]:
    """The generated datasets and the demo records in the database, all of them (and only them) in the index."""
    flask_app = corpus.load_ckan(ini)
    with flask_app.test_request_context():
        import ckan.plugins.toolkit as tk  # noqa: PLC0415
        from ckan import model  # noqa: PLC0415
        from ckan.common import config  # noqa: PLC0415

        from ckanext.hlj import demo  # noqa: PLC0415

        if config["solr_url"].rstrip("/") != solr_url.rstrip("/"):
            raise SystemExit(f"--solr-url {solr_url} is not the ini's solr_url {config['solr_url']}")
        generated, load = corpus.ensure_datasets(datasets, workers)
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        started = time.perf_counter()
        report = demo.load(site_user)
        load["demo"] = report.summary()
        load["demo_s"] = round(time.perf_counter() - started, 1)
        demo_names = [f"{demo.SEED_DATASET['name']}", *(r["name"] for r in demo.demo_records())]
        demo_ids = [
            pkg.id
            for pkg in model.Session.query(model.Package).filter(model.Package.name.in_(demo_names))
            if pkg.state == "active"
        ]
        load.update(corpus.index_datasets([*generated, *demo_ids], solr_url, workers))
        load["indexed"] = len(generated) + len(demo_ids)
        machine = corpus.machine_info(solr_url)
        model.Session.remove()
        model.meta.engine.dispose()
    return {"load": load, "machine": machine}


# --- servers -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_cpu_s(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (gunicorn's master and workers)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += corpus.process_cpu_s(current)
        with contextlib.suppress(OSError):
            for task_dir in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task_dir / "children").read_text().split())
    return total


@dataclass
class Server:
    name: str
    label: str
    port: int
    command: list[str]
    env: dict[str, str]
    ready_dir: Path | None = None
    workers: int = 1


def gunicorn_server(ini: str, workers: int, port: int, run_dir: Path) -> Server:
    ready = run_dir / "gunicorn-ready"
    ready.mkdir(parents=True, exist_ok=True)
    for stale in ready.iterdir():
        stale.unlink()
    conf = run_dir / "gunicorn.conf.py"
    conf.write_text(GUNICORN_CONF.format(ready=str(ready)))
    command = [
        str(VENV_BIN / "gunicorn"),
        "--config", str(conf),
        "--pythonpath", str(HERE),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        # The Docker image's uWSGI kills a request after UWSGI_HARAKIRI = 60 s; the same bound here.
        "--timeout", "60",
        "--backlog", "2048",
        "--log-level", "warning",
        "load_search:application()",
    ]  # fmt: skip
    return Server(
        "gunicorn",
        f"gunicorn {workers} sync workers",
        port,
        command,
        {"CKAN_INI": ini},
        ready_dir=ready,
        workers=workers,
    )


def dev_server(ini: str, port: int) -> Server:
    command = [
        str(VENV_BIN / "ckan"), "-c", ini, "run", "--host", "127.0.0.1", "--port", str(port),
        "--disable-reloader", "--disable-debugger",
    ]  # fmt: skip
    return Server("devserver", "ckan run (werkzeug development server, single-threaded)", port, command, {})


@contextlib.contextmanager
def running(server: Server, base_url: str, log: Path) -> Iterator[subprocess.Popen]:
    """Start the server in a session of its own; stop it (and its workers) whatever happens."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            server.command,
            cwd=ROOT,
            env={**os.environ, **server.env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_ready(server, process, base_url, log)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_ready(
    server: Server, process: subprocess.Popen, base_url: str, log: Path, limit_s: float = 300
) -> None:
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if process.poll() is not None:
            raise SystemExit(f"{server.name} exited with {process.returncode}; see {log}")
        workers_ready = server.ready_dir is None or len(list(server.ready_dir.iterdir())) >= server.workers
        if workers_ready:
            with contextlib.suppress(RuntimeError, OSError):
                corpus.http_get(f"{base_url}/api/3/action/status_show")
                return
        time.sleep(1)
    raise SystemExit(f"{server.name} did not answer within {limit_s:.0f} s; see {log}")


def warm_up(base_url: str, concurrency: int) -> None:
    """Every query on both endpoints, untimed: the first requests of each worker load templates and caches."""
    urls = [
        f"{base_url}{path.split('?')[0]}?q={urllib.parse.quote(q)}" for q in QUERIES for path in (PAGE, API)
    ] * max(1, concurrency)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(corpus.http_get, urls))


# --- locust --------------------------------------------------------------------------------------------------------


def run_locust(args: argparse.Namespace, base_url: str, prefix: Path, log: Path) -> dict[str, Any]:
    command = [
        str(VENV_BIN / "locust"),
        "-f", str(HERE / "load_search_users.py"),
        "--headless", "--only-summary",
        "--users", str(args.users),
        "--spawn-rate", str(args.spawn_rate),
        "--run-time", f"{args.run_time}s",
        "--stop-timeout", "60",
        "--host", base_url,
        "--csv", str(prefix),
        "--exit-code-on-error", "0",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "HLJ_LOAD_WAIT": f"{args.wait_min},{args.wait_max}"}
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            # Bounded: the run time, the users' last requests (stop timeout) and locust's own start and stop.
            process.wait(timeout=args.run_time + 180)
        except subprocess.TimeoutExpired:
            process.kill()
            raise SystemExit(f"locust did not finish; see {log}") from None
    # locust is the only child reaped meanwhile (the server is still running): its CPU time, once it has ended.
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_cpu = sum(
        getattr(children_after, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime")
    )
    if process.returncode:
        raise SystemExit(f"locust exited with {process.returncode}; see {log}")
    return {
        "stats": read_stats(Path(f"{prefix}_stats.csv")),
        "failures": read_failures(prefix),
        "cpu": locust_cpu,
    }


def _number(value: str) -> float | int | None:
    if value in ("", "N/A"):
        return None
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def read_stats(path: Path) -> dict[str, dict[str, Any]]:
    """Locust's per-endpoint figures (and 'Aggregated'); response times in ms."""
    out = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": _number(row["Requests/s"]),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "mean_ms": _number(row["Average Response Time"]),
                "max_ms": _number(row["Max Response Time"]),
                "mean_bytes": _number(row["Average Content Size"]),
            }
    return out


def read_failures(prefix: Path) -> list[dict[str, Any]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {"name": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
            for r in csv.DictReader(handle)
        ]


# --- one run per server ----------------------------------------------------------------------------------------


def measure(server: Server, args: argparse.Namespace, run_dir: Path) -> dict[str, Any]:
    base_url = f"http://127.0.0.1:{server.port}"
    print(f"{server.label} on {base_url}", file=sys.stderr)
    with running(server, base_url, run_dir / f"{server.name}.log") as process:
        started = time.monotonic()
        warm_up(base_url, server.workers)
        warm_s = round(time.monotonic() - started, 1)
        solr_pid = corpus.server_pids(args.ini).get("solr")
        meter = corpus.CpuMeter({"solr": solr_pid} if solr_pid else {})
        server_cpu0 = tree_cpu_s(process.pid)
        load_before = os.getloadavg()
        began = time.monotonic()
        result = run_locust(args, base_url, run_dir / server.name, run_dir / f"locust-{server.name}.log")
        elapsed = time.monotonic() - began
        cpus = meter.cpus()  # client = this script (idle while locust runs); locust counted on its own below
        server_cpu = (tree_cpu_s(process.pid) - server_cpu0) / elapsed
        cpus.pop("client", None)
        cpus["server"] = round(server_cpu, 2)
        cpus["locust"] = round(result.pop("cpu") / elapsed, 2)
        cpus["others"] = round(max(0.0, cpus["others"] - cpus["server"] - cpus["locust"]), 2)
    return {
        "server": server.label,
        "workers": server.workers,
        "warm_up_s": warm_s,
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        "cpus_in_use": cpus,
        **result,
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def ratios(ours: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name in (PAGE, API, "Aggregated"):
        o, b = ours["stats"].get(name), base["stats"].get(name)
        if o and b:
            out[name] = {
                "throughput_x": ratio(o["rps"], b["rps"]),
                "p50_faster_x": ratio(b["p50_ms"], o["p50_ms"]),
                "p95_faster_x": ratio(b["p95_ms"], o["p95_ms"]),
            }
    return out


def markdown(result: dict[str, Any]) -> str:
    p = result["parameters"]
    lines = [
        "# Load run: searching the portal under a production WSGI server",
        "",
        f"{result['date']}, `bash benchmarks/load_search.sh` (benchmarks/load_search.py); machine: "
        f"{result['machine'].get('nproc')} CPUs ({result['machine'].get('cpu', '?')}), CKAN "
        f"{result['machine'].get('ckan')}, Solr {result['machine'].get('solr')}, git {result['machine'].get('git')}.",
        "",
        f"Corpus: {result['load']['indexed']} datasets indexed ({p['datasets']} generated by search_overhead.py and "
        f"the demo records). Load: locust, {p['users']} users spawned at {p['spawn_rate']}/s, {p['run_time']} s, "
        f"think time {p['wait_min']}–{p['wait_max']} s, each user alternating at random between the search page "
        f"`{PAGE}` and the API `{API}` over {len(QUERIES)} Chinese queries. Both servers on loopback with the same "
        "bench config, database and Solr node, one after the other.",
        "",
        "| Server | Endpoint | Requests | Failures | Req/s | p50 ms | p95 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in result["runs"].values():
        for name in (PAGE, API, "Aggregated"):
            s = run["stats"].get(name)
            if s:
                lines.append(
                    f"| {run['server']} | {'all' if name == 'Aggregated' else '`' + name + '`'} | {s['requests']} "
                    f"| {s['failures']} | {s['rps']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} |"
                )
    lines += ["", "Ratios, gunicorn over the development server:", ""]
    for name, r in result["ratios"].items():
        lines.append(
            f"- {'all requests' if name == 'Aggregated' else '`' + name + '`'}: throughput "
            f"**{r['throughput_x']}×**, p50 {r['p50_faster_x']}× lower, p95 {r['p95_faster_x']}× lower"
        )
    lines += [
        "",
        "CPUs in use on average during each run (the machine has 2; 'others' is everything else on it):",
        "",
    ]
    for run in result["runs"].values():
        cpus = ", ".join(f"{k} {v}" for k, v in run["cpus_in_use"].items())
        lines.append(
            f"- {run['server']}: {cpus}; load average before {run['loadavg_before'][0]}, "
            f"after {run['loadavg_after'][0]}"
        )
    busiest = max(run["cpus_in_use"].get("others", 0) for run in result["runs"].values())
    if busiest > 0.5:
        lines += [
            "",
            f"Other work on the machine used up to {busiest} of its CPUs during the runs: each server got what was "
            "left, so both were CPU-bound at about the same share, and the ratios say less about the servers "
            "than on an idle machine (where gunicorn's workers can use both CPUs and the single-threaded "
            "development server one). Compare runs by failures and by the ratios measured under the same load.",
        ]
    failures = [f for run in result["runs"].values() for f in run["failures"]]
    if failures:
        lines += ["", "Failures:", ""]
        lines += [f"- {f['name']}: {f['error']} ×{f['occurrences']}" for f in failures]
    lines += ["", f"Loading: {json.dumps(result['load'], ensure_ascii=False)}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True, help="CKAN config of the bench environment")
    parser.add_argument("--solr-url", required=True, help="Solr core URL from the ini's solr_url")
    parser.add_argument("--datasets", type=int, default=10000, help="generated datasets (default 10000)")
    parser.add_argument("--users", type=int, default=50, help="concurrent locust users (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=50, help="users started per second (default 50)")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load per server (default 60)")
    parser.add_argument("--wait-min", type=float, default=0.5, help="think time, lower bound (s)")
    parser.add_argument("--wait-max", type=float, default=1.5, help="think time, upper bound (s)")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers (2 × CPUs + 1)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="leave out the development server")
    parser.add_argument(
        "--out-dir", type=Path, default=HERE / "results", help="where the results are written"
    )
    args = parser.parse_args(argv)

    run_dir = Path(args.ini).parent / "load-search"
    run_dir.mkdir(parents=True, exist_ok=True)
    prepared = prepare_corpus(args.ini, args.solr_url, args.datasets, os.cpu_count() or 1)
    print(f"corpus: {prepared['load']}", file=sys.stderr)
    servers = [gunicorn_server(args.ini, args.workers, free_port(), run_dir)]
    if not args.no_baseline:
        servers.append(dev_server(args.ini, free_port()))
    runs = {}
    for server in servers:
        runs[server.name] = measure(server, args, run_dir)
    result = {
        "benchmark": "load-search",
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "parameters": {
            "datasets": args.datasets,
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "run_time": args.run_time,
            "wait_min": args.wait_min,
            "wait_max": args.wait_max,
            "workers": args.workers,
        },
        **prepared,
        "runs": runs,
        "ratios": ratios(runs["gunicorn"], runs["devserver"]) if "devserver" in runs else {},
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "load-search.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (args.out_dir / "load-search.md").write_text(markdown(result))
    print(markdown(result))
    failures = runs["gunicorn"]["stats"].get("Aggregated", {}).get("failures", 1)
    if failures:
        print(f"gunicorn run: {failures} failed requests (must be 0)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
