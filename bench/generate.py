"""Generate N realistic cases fast, for the benchmarks (never for a real database).

Each case: a family of 5 (2 children, 2 parents, a grandparent), 3 professionals (coordinator,
case worker, an external GP), the history rows of their creation and 14 audit events in valid
keyed chains (so `kindveilig audit verify` holds). Professionals work ~25 cases each; the
benchmark user ("bench", professional) has 18 current cases and an ended membership in every
20th case, as someone who has worked for years.

PostgreSQL: COPY (1,000,000 cases in minutes); SQLite: bulk inserts. Run it with no server
running on the database: it extends the audit chains directly, and a server's connection
remembers the head of the chain it claimed.

    DJANGO_SETTINGS_MODULE=config.settings.bench python bench/generate.py --cases 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

BENCH_USER = "bench"
BENCH_PASSWORD = "bench-password-not-for-production"  # noqa: S105
CURRENT_CASES_OF_BENCH_USER = 18
CASES_PER_PROFESSIONAL = 25
AUDIT_EVENTS_PER_CASE = 14
BATCH = 20_000


def setup() -> None:
    """Django as the ``kindveilig`` command starts it: with the secrets kept in the data dir
    (so the audit chains are keyed as the server and ``audit verify`` will key them)."""
    import os

    import django

    from config.env import prepare_data_dir, read_env

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.update(prepare_data_dir(read_env(), generate_secret=True))
    django.setup()


class Sink:
    """Writes rows of one model: COPY on PostgreSQL, bulk_create on SQLite."""

    def __init__(self, model: Any) -> None:
        from django.db import connection

        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.column for field in self.fields]
        # What the ORM would store for a field left out ("" for text, the field's default).
        self.defaults = {
            field.attname: field.get_default() for field in self.fields if not field.primary_key
        }
        self.postgres = connection.vendor == "postgresql"
        self.buffer: list[dict[str, Any]] = []
        self.count = 0

    def add(self, **values: Any) -> None:
        self.buffer.append(values)
        if len(self.buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if not self.buffer:
            return
        rows = self.buffer
        self.buffer = []
        self.count += len(rows)
        if self.postgres:
            names = ", ".join(f'"{column}"' for column in self.columns)
            table = self.model._meta.db_table
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
            ):
                for row in rows:
                    merged = {**self.defaults, **row}
                    copy.write_row([merged.get(field.attname) for field in self.fields])
        else:
            names = ", ".join(f'"{column}"' for column in self.columns)
            marks = ", ".join("?" for _ in self.columns)
            table = self.model._meta.db_table
            values = [
                tuple(
                    _sqlite_value({**self.defaults, **row}.get(field.attname))
                    for field in self.fields
                )
                for row in rows
            ]
            with connection.cursor() as cursor:
                cursor.connection.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values
                )


def _sqlite_value(value: Any) -> Any:
    """A value as Django stores it in SQLite (aware datetimes as naive UTC text)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def ids_after(model: Any) -> Iterator[int]:
    from django.db.models import Max

    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return iter(range(start, 2**62))


def fix_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [model for model in apps.get_models(include_auto_created=True)]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def generate(cases: int, seed: int = 7513) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kindveilig.accounts.models import Organisation, Role, User
    from kindveilig.audit import chain
    from kindveilig.audit.models import AuditAction, AuditEvent, AuditObject
    from kindveilig.cases.models import Case, CaseMember, CaseRole, Person

    rng = random.Random(seed)
    started = time.perf_counter()
    organisation, _ = Organisation.objects.get_or_create(name="Jeugdhulp Benchmark")
    professionals_needed = max(2, cases // CASES_PER_PROFESSIONAL)
    existing = User.objects.filter(username__startswith="prof-").count()
    User.objects.bulk_create(
        [
            User(
                username=f"prof-{number}",
                first_name="Prof",
                last_name=str(number),
                role=Role.PROFESSIONAL,
                organisation=organisation,
                password="!",  # noqa: S106 - no password: cannot log in
            )
            for number in range(existing, professionals_needed)
        ],
        batch_size=5000,
    )
    professionals = list(
        User.objects.filter(username__startswith="prof-").values_list("pk", flat=True)
    )
    bench, created = User.objects.get_or_create(
        username=BENCH_USER,
        defaults={"role": Role.PROFESSIONAL, "organisation": organisation, "first_name": "Bench"},
    )
    if created:
        bench.set_password(BENCH_PASSWORD)
        bench.save()
        TOTPDevice.objects.create(user=bench, name="bench", confirmed=True)

    case_ids, person_ids, member_ids = ids_after(Case), ids_after(Person), ids_after(CaseMember)
    event_ids = ids_after(AuditEvent)
    # (model.history builds a manager on every access: look the history models up once.)
    historical = {model: model.history.model for model in (Case, Person, CaseMember)}
    history_ids = {model: ids_after(historical[model]) for model in historical}
    sinks = {model: Sink(model) for model in (Case, Person, CaseMember, AuditEvent)}
    sinks.update({historical[model]: Sink(historical[model]) for model in historical})
    shards = chain.shard_count()
    heads: dict[int, tuple[int, str]] = {}
    for shard in range(shards):
        seq, mac = chain._head(shard)
        heads[shard] = (seq or 0, mac)
    now = timezone.now()
    today = now.date()
    bench_current = 0

    def history(model: Any, row: dict[str, Any], when: dt.datetime, user_id: int) -> None:
        sinks[historical[model]].add(
            **row,
            history_id=next(history_ids[model]),
            history_date=when,
            history_type="+",
            history_user_id=user_id,
            history_change_reason=None,
        )

    def audit(
        when: dt.datetime,
        action: str,
        object_type: str,
        case_id: int,
        object_id: int,
        clients: list[int],
        user_id: int,
    ) -> None:
        shard = rng.randrange(shards)
        seq, previous = heads[shard]
        event = SimpleNamespace(
            timestamp=when,
            action=action,
            user_id=user_id,
            username=f"prof-{user_id}",
            organisation_id=organisation.pk,
            organisation_name=organisation.name,
            role=Role.PROFESSIONAL.value,
            on_behalf_of_id=None,
            case_id=case_id,
            client_ids="," + ",".join(str(c) for c in sorted(clients)) + "," if clients else "",
            object_type=object_type,
            object_id=str(object_id),
            request_id="",
            detail="",
            shard=shard,
            seq=seq + 1,
            previous_hash=previous,
        )
        mac = chain.event_mac(event)  # type: ignore[arg-type]
        heads[shard] = (seq + 1, mac)
        sinks[AuditEvent].add(**{**vars(event), "hash": mac, "id": next(event_ids)})

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Bench data is consistent by construction: skip the per-row foreign-key checks
            # that PostgreSQL would otherwise queue for the commit (tens of millions of rows).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for number in range(cases):
            case_id = next(case_ids)
            coordinator = professionals[number % len(professionals)]
            worker = professionals[(number * 7 + 3) % len(professionals)]
            opened = now - dt.timedelta(days=rng.randrange(1, 20 * 365), seconds=number % 86400)
            # The newest cases are the bench user's current ones; every 20th an old one.
            bench_role = None
            if bench_current < CURRENT_CASES_OF_BENCH_USER and number >= cases - 40:
                bench_role, bench_current = "current", bench_current + 1
                coordinator = bench.pk
                opened = now - dt.timedelta(days=rng.randrange(1, 300))
            elif number % 20 == 0:
                bench_role = "ended"
            case_row = {
                "id": case_id,
                "version": 1,
                "organisation_id": organisation.pk,
                "name": f"familie Bench{number}",
                "status": rng.choice(["intake", "investigation", "planning", "execution"]),
                "legal_context": "voluntary",
                "created_by_id": coordinator,
                "created_at": opened,
                "reason_for_concern": "Zorgen gemeld door school over de veiligheid thuis.",
            }
            sinks[Case].add(**case_row)
            history(Case, case_row, opened, coordinator)
            persons = []
            family = [
                ("child", "Kind", 4 + number % 12),
                ("child", "Broer", 1 + number % 8),
                ("parent", "Moeder", 30 + number % 15),
                ("parent", "Vader", 33 + number % 15),
                ("network", "Oma", 60 + number % 15),
            ]
            for role, given, age in family:
                person_id = next(person_ids)
                person_row = {
                    "id": person_id,
                    "version": 1,
                    "case_id": case_id,
                    "role": role,
                    "given_name": given,
                    "family_name": f"Bench{number}",
                    "birth_date": today - dt.timedelta(days=age * 365 + number % 300),
                    "sex": rng.choice(["female", "male"]),
                    "relation": "",
                    "has_parental_authority": True if role == "parent" else None,
                    "lives_in_household": role != "network",
                }
                sinks[Person].add(**person_row)
                history(Person, person_row, opened, coordinator)
                persons.append(person_id)
            members = [
                (coordinator, CaseRole.COORDINATOR, None),
                (worker, CaseRole.CASE_WORKER, None),
                (None, CaseRole.EXTERNAL, None),
            ]
            if bench_role == "ended":
                members.append((bench.pk, CaseRole.CASE_WORKER, opened.date() + dt.timedelta(1)))
            for user_id, role, ended in members:
                member_row = {
                    "id": next(member_ids),
                    "version": 1,
                    "case_id": case_id,
                    "user_id": user_id,
                    "role": role,
                    "name": "" if user_id else "dr. Huisarts",
                    "organisation_name": "" if user_id else "Huisartsenpraktijk",
                    "start_date": opened.date(),
                    "end_date": ended,
                }
                sinks[CaseMember].add(**member_row)
                history(CaseMember, member_row, opened, coordinator)
            audit(opened, AuditAction.CREATE, AuditObject.CASE, case_id, case_id, [], coordinator)
            for person_id in persons:
                audit(
                    opened,
                    AuditAction.CREATE,
                    AuditObject.PERSON,
                    case_id,
                    person_id,
                    [person_id],
                    coordinator,
                )
            for read in range(AUDIT_EVENTS_PER_CASE - 1 - len(persons)):
                audit(
                    opened + dt.timedelta(days=read + 1),
                    AuditAction.READ,
                    AuditObject.CASE,
                    case_id,
                    case_id,
                    persons,
                    worker if read % 2 else coordinator,
                )
        for sink in sinks.values():
            sink.flush()
        fix_sequences()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    rows = sum(sink.count for sink in sinks.values())
    return {"cases": cases, "rows": rows, "seconds": round(elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, required=True)
    arguments = parser.parse_args()
    setup()
    print(generate(arguments.cases))


if __name__ == "__main__":
    main()
