"""The benchmark: pages and endpoints at two sizes, and throughput next to a bare Django view.

For each size it makes a database (SQLite in a temporary data dir, or a PostgreSQL database
`kvbench_<size>` on the server of DATABASE_URL), fills it with bench/generate.py (kept for the
next run with --keep), then measures

1. in this process, through Django's test client: each main page and API endpoint, 100 times
   after a warm-up: median, p95 and the number of queries; in four passes, the sizes
   alternating, keeping each page's fastest pass (--passes);
2. over HTTP, against `kindveilig serve` (gunicorn, 2 workers, as in production) with wrk:
   requests per second and latency (p50, p95, p99) of the case page and the API case endpoint
   with 10 and 50 concurrent clients, next to a bare template view and a bare JSON view on the
   same server, and their ratios; and the errors (non-2xx, socket errors). Each target is run
   in rounds (--rounds of --seconds), the targets alternating; a row shows the round with the
   middle rate, a ratio the middle of the rounds' ratios.

Results go to stdout and to bench/results-<database>.json. Not part of the test suite.

    .venv/bin/python bench/run.py --database sqlite --sizes 1000 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/run.py --database postgres --sizes 1000 1000000 --keep

Needs wrk (Debian package `wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDVEILIG = str(Path(sys.executable).with_name("kindveilig"))
WRK_REPORT = str(Path(__file__).with_name("wrk_report.lua"))
PAGES = ["my_cases", "case_detail", "case_edit", "case_history", "case_team"]
ENDPOINTS = ["/api/v1/cases", "/api/v1/cases/{case}", "/api/v1/cases/{case}/members"]


def database_env(database: str, size: int, base_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINDVEILIG_", "DATABASE"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    env["PYTHONPATH"] = str(ROOT)
    env["KINDVEILIG_DATA_DIR"] = f"/tmp/kindveilig-bench/{database}-{size}"  # noqa: S108
    if database == "postgres":
        assert base_url, "DATABASE_URL must point to the PostgreSQL server"
        env["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + f"/kvbench_{size}"
    return env


def prepare(database: str, size: int, env: dict[str, str], keep: bool) -> float | None:
    """Create, migrate and fill the database; None when an existing one was kept."""
    data_dir = Path(env["KINDVEILIG_DATA_DIR"])
    marker = data_dir / "generated"
    if keep and marker.exists():
        subprocess.run([KINDVEILIG, "migrate", "-v", "0"], env=env, check=True)  # new indexes
        return None
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    if database == "postgres":
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-qc", statement], check=True)
    subprocess.run([KINDVEILIG, "migrate", "-v", "0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--cases", str(size)],
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - started
    marker.write_text(str(seconds))
    return seconds


def measure_in_process(env: dict[str, str], rounds: int = 100) -> dict[str, Any]:
    """Median, p95 and queries of each page and endpoint (run in a child with ``env``); the
    pass of each page with the lowest median is kept (``main``)."""
    script = f"""
import json, os, statistics, sys, time
sys.path.insert(0, {str(ROOT)!r})
sys.path.insert(0, {str(ROOT / "bench")!r})
import generate
generate.setup()
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from kindveilig.accounts.models import User
from kindveilig.accounts.services import api_token_create
from kindveilig.cases.selectors import cases_for_user

user = User.objects.get(username="bench")
case = list(cases_for_user(user=user))[0]
client = Client()
client.force_login(user)
session = client.session
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
session.save()
token = api_token_create(user=user, name="bench")
api = Client()
headers = {{"Authorization": "Bearer " + token}}
targets = {{}}
for name in {PAGES!r}:
    kwargs = {{}} if name == "my_cases" else {{"case_id": case.pk}}
    targets[name] = (client, reverse("cases:" + name, kwargs=kwargs), {{}}, False)
# The case page is kept between changes of the case (cases.pagecache): also measure it as the
# first view after a change, rendered anew each time.
targets["case_detail (rendered)"] = (client, targets["case_detail"][1], {{}}, True)
for path in {ENDPOINTS!r}:
    targets[path] = (api, path.format(case=case.pk), headers, False)
results = {{}}
for name, (who, url, extra, rendered) in targets.items():
    for _ in range(5):
        assert who.get(url, headers=extra).status_code == 200, (name, url)
    if rendered:
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        who.get(url, headers=extra)
    query_count = len(queries)  # now: the log is emptied at the next request
    times = []
    for _ in range({rounds}):
        if rendered:
            caches["pages"].clear()
        start = time.perf_counter()
        who.get(url, headers=extra)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    results[name] = {{
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "queries": query_count,
    }}
print("RESULT " + json.dumps({{"results": results, "session": client.cookies["sessionid"].value,
                              "token": token, "case": case.pk}}))
"""
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    output = done.stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wrk(url: str, connections: int, seconds: int, headers: dict[str, str]) -> dict[str, Any]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", WRK_REPORT]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    report = json.loads(output[output.index("JSON ") + 5 :].splitlines()[0])
    report["non_2xx"] = int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, "0"])[1])
    return report


RATIOS = {
    "case page / bare page": ("case page", "bare page"),
    "API case / bare JSON": ("API case", "bare JSON"),
    "case page / bare page logged in": ("case page", "bare page, logged in"),
}


def measure_throughput(
    env: dict[str, str], login: dict[str, Any], seconds: int, rounds: int, soak: int = 0
) -> dict:
    port = free_port()
    server = subprocess.Popen(
        [KINDVEILIG, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = {"Cookie": f"sessionid={login['session']}"}
        bearer = {"Authorization": f"Bearer {login['token']}"}
        targets = {
            "bare page": (f"{base}/bench/bare/", {}),
            "bare page, logged in": (f"{base}/bench/bare/", cookie),
            "case page": (f"{base}/dossiers/{login['case']}/", cookie),
            "bare JSON": (f"{base}/bench/bare.json", {}),
            "API case": (f"{base}/api/v1/cases/{login['case']}", bearer),
        }
        results: dict[str, Any] = {}
        for connections in (10, 50):
            for url, headers in targets.values():
                wrk(url, connections, 2, headers)  # warm-up
            # The machine's speed drifts by a fifth over minutes: each target is measured in
            # rounds, the targets alternating, so that a ratio compares runs seconds apart.
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
            for _ in range(rounds):
                for name, (url, headers) in targets.items():
                    runs[name].append(wrk(url, connections, seconds, headers))
            for name, measured in runs.items():
                middle = sorted(measured, key=lambda run: run["rps"])[len(measured) // 2]
                results[f"{name} @{connections}"] = {
                    **middle,
                    "rps_rounds": [run["rps"] for run in measured],
                    "p95_ms_rounds": [run["p95_ms"] for run in measured],
                    "errors": sum(run["errors"] for run in measured),
                    "non_2xx": sum(run["non_2xx"] for run in measured),
                }
            for ratio, (numerator, denominator) in RATIOS.items():
                per_round = [
                    top["rps"] / bottom["rps"]
                    for top, bottom in zip(runs[numerator], runs[denominator], strict=True)
                ]
                results[f"ratio {ratio} @{connections}"] = round(sorted(per_round)[rounds // 2], 3)
                results[f"ratio {ratio} @{connections}, rounds"] = [round(r, 3) for r in per_round]
        if soak:
            # Every case-page read writes an audit event: 50 clients are 50 would-be writers.
            results[f"soak: case page @50 for {soak}s"] = wrk(
                targets["case page"][0], 50, soak, targets["case page"][1]
            )
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--sizes", type=int, nargs="+", required=True)
    parser.add_argument("--seconds", type=int, default=5, help="per throughput round")
    parser.add_argument(
        "--rounds", type=int, default=3, help="throughput rounds per target, targets alternating"
    )
    parser.add_argument("--keep", action="store_true", help="reuse a generated database")
    parser.add_argument(
        "--passes", type=int, default=3, help="in-process passes after the first, per size"
    )
    parser.add_argument(
        "--soak", type=int, default=0, help="also run the case page with 50 clients this long"
    )
    arguments = parser.parse_args()
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "database": arguments.database,
        "cpus": os.cpu_count(),
        "passes": 1 + arguments.passes,
        "rounds": 100,  # measure_in_process's default
        "throughput_rounds": arguments.rounds,
        "throughput_seconds": arguments.seconds,
        "sizes": {},
    }
    for size in arguments.sizes:
        env = database_env(arguments.database, size, os.environ.get("DATABASE_URL"))
        generated = prepare(arguments.database, size, env, arguments.keep)
        login = measure_in_process(env)
        throughput = measure_throughput(
            env, login, arguments.seconds, arguments.rounds, arguments.soak
        )
        report["sizes"][size] = {
            "generation_seconds": generated,
            "pages": login["results"],
            "throughput": throughput,
        }
        print(json.dumps({size: report["sizes"][size]}, indent=1))
    # The machine's speed drifts over minutes (other load, the database's own work): measure
    # the pages of every size again, the sizes alternating, and keep each page's fastest pass.
    # Noise only ever adds time, so the fastest pass is the better estimate at every size.
    for number in range(2, 2 + arguments.passes):
        for size in arguments.sizes:
            env = database_env(arguments.database, size, os.environ.get("DATABASE_URL"))
            again = measure_in_process(env)["results"]
            pages = report["sizes"][size]["pages"]
            for name, later in again.items():
                if later["median_ms"] < pages[name]["median_ms"]:
                    pages[name] = {**later, "pass": number}
    sizes = [str(size) for size in arguments.sizes]
    if len(sizes) == 2:
        small, large = (report["sizes"][int(size)]["pages"] for size in sizes)
        report["flatness"] = {
            name: {
                "median_ratio": round(large[name]["median_ms"] / small[name]["median_ms"], 2),
                "queries": [small[name]["queries"], large[name]["queries"]],
            }
            for name in small
        }
        print(json.dumps({"flatness": report["flatness"]}, indent=1))
    out = Path(__file__).with_name(f"results-{arguments.database}.json")
    out.write_text(json.dumps(report, indent=1))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
