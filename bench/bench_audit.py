"""Benchmark: concurrent audit-log writers, and verification of the whole log.

W processes (default 50) each append audit events (a read of a case, each its own transaction,
as a request does) for S seconds; then `audit verify` walks the whole log, and its peak memory
is reported (it streams: constant memory whatever the log's size).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvbench_audit \\
        .venv/bin/python bench/bench_audit.py --writers 50 --seconds 20

The database must exist and be migrated (kindveilig migrate); events are added to it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def writer(seconds: float, start_at: float, counter: multiprocessing.Value) -> None:  # type: ignore[valid-type]
    import generate

    generate.setup()
    from django.db import connection

    from kindveilig.accounts.models import User
    from kindveilig.audit import events
    from kindveilig.audit.models import AuditObject, AuditSubject

    actor = User.objects.select_related("organisation").filter(username="bench").first()
    if actor is None:
        actor = User.objects.create(username="bench", password="!")  # noqa: S106
    subject = AuditSubject(AuditObject.CASE, 1, 1, (1, 2, 3, 4, 5))
    connection.ensure_connection()
    while time.time() < start_at:
        time.sleep(0.01)
    written = 0
    deadline = start_at + seconds
    while time.time() < deadline:
        events.case_data_read(actor, subject, via_break_glass=False)
        written += 1
    with counter.get_lock():
        counter.value += written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    arguments = parser.parse_args()
    import generate

    generate.setup()
    from django.db import connection

    from kindveilig.accounts.models import User

    User.objects.get_or_create(username="bench", defaults={"password": "!"})
    connection.close()
    counter = multiprocessing.Value("l", 0)
    start_at = time.time() + 5 + arguments.writers * 0.15  # all processes connected first
    processes = [
        multiprocessing.Process(target=writer, args=(arguments.seconds, start_at, counter))
        for _ in range(arguments.writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    rate = counter.value / arguments.seconds
    print(f"database: {connection.vendor}")
    print(
        f"write: {arguments.writers} concurrent writers, {counter.value} events in "
        f"{arguments.seconds:.0f}s = {rate:.0f} events/s"
    )
    from kindveilig.audit.chain import verify

    started = time.perf_counter()
    result = verify()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"verify: {result.count + result.legacy_count} events in {seconds:.1f}s "
        f"= {(result.count + result.legacy_count) / seconds:.0f}/s, ok={result.ok}, "
        f"peak memory of this process {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
