"""Benchmark: audit-log writes (hash chain) and chain verification.

Run: .venv/bin/python bench/bench_audit.py [N]   (SQLite in a temp dir, or DATABASE_URL
pointing to an EMPTY PostgreSQL database created for the benchmark: it migrates it)
Not part of the test suite; prints events per second for writing and verifying.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def main(count: int) -> None:
    os.environ.setdefault("KINDVEILIG_DATA_DIR", tempfile.mkdtemp(prefix="kv-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kindveilig.audit.services import audit_record, audit_verify

    start = time.perf_counter()
    for index in range(count):
        audit_record(
            actor=None,
            username="bench",
            action="read",
            object_type="case",
            case_id=index % 50,
            clients=[index, index + 1],
        )
    write_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = audit_verify()
    verify_seconds = time.perf_counter() - start
    print(f"database: {django.db.connection.vendor}")
    print(f"write:  {count} events in {write_seconds:.2f}s = {count / write_seconds:.0f}/s")
    print(
        f"verify: {result.count} events in {verify_seconds:.2f}s "
        f"= {result.count / verify_seconds:.0f}/s, ok={result.ok}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
