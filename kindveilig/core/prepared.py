"""Querysets compiled once: the reads every request makes, without compiling their SQL again.

Django builds the SQL of a queryset anew each time it runs. For the reads of every request
(the login session, the user, the second factor, the door to a case, the persons an audit
event names) that compilation costs more than the statement itself: ~0.5-2 ms of Python per
statement on our 2-core machine class against ~0.1 ms in the database.

``Prepared`` takes a function that builds the queryset from named parameters and compiles it
once per database connection object (a process's thread keeps its connection object across
reconnects) with stand-in values, remembering where each stand-in landed among the
statement's parameters. Running it puts the real values in those places and turns the rows
into model instances exactly as Django does (``select_related``, annotations, converters).

What it guards against: a value that the builder computes itself (``timezone.now()`` inside
a manager method, say) would be frozen into the compiled statement. Compilation therefore
fails when a date or time appears among the parameters that is not one of the named ones: a
builder must take every moment it compares with as a parameter.

On PostgreSQL the statement is also prepared on the server (``statement_cursor``): the
database parses and plans it once per connection instead of on every request, which was most
of its own time for these reads (planning ~0.2 ms against ~0.06 ms executing).

Not supported (and refused at compilation): ``values()`` querysets, and querysets of a related
manager (``case.persons``), whose instances Django links back to the owner; filter on the
foreign key instead.
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Stand-ins for ints fit a 32-bit integer column (Django compiles a lookup with a value out of
# the column's range to "no rows" on PostgreSQL) and are values no query carries as a constant.
_INT_BASE = 2_147_000_000
_DATE_BASE = dt.date(1001, 1, 1)
_DATETIME_BASE = dt.datetime(1001, 1, 1, tzinfo=dt.UTC)


_numbers = itertools.count(1)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per statement parameter: the name of the value that goes there, or None for a constant.
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]
    compiler: SQLCompiler
    # How rows become instances, worked out once as well (Django does it for every run).
    converters: dict[int, Any]
    model: type[Model]
    init_list: tuple[str, ...]
    model_columns: slice
    related_populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


class Prepared(Generic[M]):
    """A queryset shape, compiled once per connection and run with new values.

    ``parameters`` names the builder's arguments and their types (``int``, ``str``,
    ``dt.date`` or ``dt.datetime``)::

        CASE = Prepared(lambda case_id: Case.objects.filter(pk=case_id)[:1], case_id=int)
        case = CASE.first(case_id=7)
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **parameters: type) -> None:
        unsupported = set(parameters.values()) - {int, str, dt.date, dt.datetime}
        if unsupported:
            raise ImproperlyConfigured(f"Prepared parameters of type {unsupported}")
        self._build = build
        self._parameters = parameters
        # Unique for the process's lifetime (an id() can be reused after a collection).
        self._key = f"_kindveilig_prepared_{next(_numbers)}"

    def list(self, using: str = "default", **values: Any) -> list[M]:
        return list(self._run(using, values))

    def list_of(
        self, field: str, owner: Model, using: str = "default", **values: Any
    ) -> builtins.list[M]:
        """The rows, each linked to ``owner`` through its foreign key ``field`` as a related
        manager links them (``record.case`` is then no query). The values must select
        ``owner``'s rows; related managers themselves cannot be prepared."""
        rows = [*self._run(using, values)]
        for row in rows:
            setattr(row, field, owner)
        return rows

    def first(self, using: str = "default", **values: Any) -> M | None:
        return next(self._run(using, values), None)

    def first_inserting(
        self,
        insert: str,
        insert_params: Sequence[Any],
        when: str,
        when_params: Sequence[Any],
        using: str = "default",
        **values: Any,
    ) -> tuple[M | None, int | None]:
        """``first``, and in the same statement an INSERT for the row found, made only when
        that row fulfils ``when`` (PostgreSQL). Returns the instance (None: no row) and the
        inserted id (None: nothing inserted).

        ``insert`` is ``INSERT ... SELECT ... FROM {source} WHERE {condition} RETURNING id``;
        ``when`` is SQL over the found row's columns, named ``found."column"``. One
        statement is one transaction (or part of the caller's): the row is read and the
        INSERT made in the same snapshot, committed together or not at all.
        """
        connection = connections[using]
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured("A read with an INSERT in its statement needs PostgreSQL")
        compiled, params = self._statement(connection, values)
        inserting = insert.format(source="found", condition=when)
        # Compiled ORM SQL and the caller's SQL; every value is a parameter.
        sql = (
            f"WITH found AS MATERIALIZED ({compiled.sql}), inserted AS ({inserting}) "  # noqa: S608
            "SELECT found.*, (SELECT id FROM inserted) FROM found"
        )
        with statement_cursor(connection) as cursor:
            cursor.execute(sql, [*params, *insert_params, *when_params])
            rows = cursor.fetchall()
        inserted = rows[0][-1] if rows else None
        found = _instances(compiled, [row[:-1] for row in rows], using)
        return next(found, None), inserted

    def _run(self, using: str, values: dict[str, Any]) -> Iterator[M]:
        connection = connections[using]
        compiled, params = self._statement(connection, values)
        with statement_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return _instances(compiled, rows, using)

    def _statement(
        self, connection: Any, values: dict[str, Any]
    ) -> tuple[_Compiled, builtins.list[Any]]:
        """The compiled statement (compiled at its first use on ``connection``) and its
        parameters for ``values``."""
        if values.keys() != self._parameters.keys():
            raise TypeError(
                f"Prepared query takes {sorted(self._parameters)}, got {sorted(values)}"
            )
        compiled = connection.__dict__.get(self._key)
        if compiled is None:
            compiled = self._compile(connection.alias)
            connection.__dict__[self._key] = compiled
        params = [
            self._adapt(connection, self._parameters[slot], values[slot])
            if slot is not None
            else constant
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        return compiled, params

    @staticmethod
    def _adapt(connection: Any, kind: type, value: Any) -> Any:
        if value is None:
            raise TypeError("Prepared queries take no None: it compiles to IS NULL")
        if kind is dt.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        if kind is dt.date:
            return connection.ops.adapt_datefield_value(value)
        return value

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        stand_ins: dict[str, Any] = {}
        for index, (name, kind) in enumerate(self._parameters.items(), start=1):
            if kind is int:
                stand_ins[name] = _INT_BASE + index
            elif kind is str:
                stand_ins[name] = f"\x1fkindveilig-prepared-{index}\x1f"
            elif kind is dt.date:
                stand_ins[name] = _DATE_BASE + dt.timedelta(days=index)
            else:
                stand_ins[name] = _DATETIME_BASE + dt.timedelta(seconds=index)
        queryset = self._build(**stand_ins)
        related_manager = getattr(queryset, "_known_related_objects", None)
        if queryset._iterable_class is not ModelIterable or related_manager:
            raise ImproperlyConfigured(
                "Prepared supports plain model querysets, not values() or a related manager's"
            )
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        adapted = {
            self._adapt(connection, self._parameters[name], value): name
            for name, value in stand_ins.items()
        }
        slots = tuple(adapted.get(param) if _hashable(param) else None for param in params)
        missing = set(stand_ins) - set(slots)
        if missing:
            raise ImproperlyConfigured(f"Prepared parameters not used by the query: {missing}")
        for slot, param in zip(slots, params, strict=True):
            if slot is None and _is_moment(param):
                raise ImproperlyConfigured(
                    "A date or time in a prepared query is not a parameter: it would be frozen"
                )
        constants = tuple(
            None if slot else param for slot, param in zip(slots, params, strict=True)
        )
        return _Compiled(sql, slots, constants, compiler, **_row_reading(compiler, using))


def statement_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor whose statements the database prepares once per connection (PostgreSQL), for
    the statements every request runs with new values; elsewhere the connection's own cursor.

    Django's PostgreSQL cursors bind values on the client, so that the server sees a new text
    for every value and must parse and plan each statement anew. This cursor binds on the
    server and names each statement at its first run (psycopg keeps the names, per
    connection, and forgets them with it); the wrapper around it is Django's, so the statement
    is logged, counted and wrapped (``execute_wrapper``) like any other. Only for statements
    with a fixed text: each text is kept on the server as long as the connection lives.
    Behind a pooler in transaction mode, use one that keeps prepared statements per client
    (PgBouncer 1.21 and later, ``max_prepared_statements``).
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    # psycopg, imported here: SQLite does not need it.
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg import adapters
    from psycopg.pq import Format

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # One cursor per connection, kept open with it (its close() keeps it): making a cursor
    # cost as much Python as running its statement.
    kept = connection.__dict__.get(_KEPT_CURSOR)
    if kept is None or kept.connection is not connection.connection:
        with connection.wrap_database_errors:
            kept = _preparing_cursor_class()(connection.connection)
            # As Django's create_cursor: the cursor reads times in the connection's time zone.
            timestamptz = adapters.types["timestamptz"].oid
            loader = connection.connection.adapters.get_loader(timestamptz, Format.TEXT)
            if connection.timezone != loader.timezone:
                register_tzloader(connection.timezone, kept)
        connection.__dict__[_KEPT_CURSOR] = kept
    return connection._prepare_cursor(kept)  # type: ignore[attr-defined]


_KEPT_CURSOR = "_kindveilig_statement_cursor"


@functools.cache
def _preparing_cursor_class() -> type:
    import psycopg

    class PreparingCursor(psycopg.Cursor[Any]):
        """Binds on the server and prepares every statement at its first run."""

        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            return super().execute(query, params, **{**options, "prepare": True})

        def close(self) -> None:
            """Kept open for the next statement; it goes with its connection."""

        def _maybe_prepare_gen(self, pgq: Any, **options: Any) -> Any:
            # psycopg remembers the statement it sent (which Django's query log reads) only
            # when it was not prepared; remember it either way.
            self._query = pgq
            return super()._maybe_prepare_gen(pgq, **options)

    return PreparingCursor


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _is_moment(value: Any) -> bool:
    """A date or time; SQLite receives them as text ('2026-11-30', '2026-11-30 12:00:00')."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return True
    if not isinstance(value, str) or len(value) < 10:
        return False
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _row_reading(compiler: SQLCompiler, using: str) -> dict[str, Any]:
    """What ``ModelIterable`` works out for each run of a queryset: the columns' converters,
    the model's columns, the related objects' populators and the annotations' positions."""
    select, klass_info = compiler.select, compiler.klass_info
    assert klass_info is not None
    fields = [column[0] for column in select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        raise ImproperlyConfigured("Prepared does not read composite primary keys")
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return {
        "converters": compiler.get_converters(fields),
        "model": klass_info["model"],
        "init_list": tuple(column[0].target.attname for column in select[start:end]),
        "model_columns": slice(start, end),
        # Django 5.2's signature (the type stubs describe a later one).
        "related_populators": tuple(
            get_related_populators(klass_info, select, using)  # type: ignore[call-arg]
        ),
        "annotations": tuple(compiler.annotation_col_map.items()),
    }


def _instances(compiled: _Compiled, rows: list[Any], using: str) -> Iterator[Any]:
    """Model instances from the rows, as ``ModelIterable`` makes them."""
    converted: Iterable[Any] = rows
    if compiled.converters:
        converted = compiled.compiler.apply_converters(rows, compiled.converters)
    for row in converted:
        instance = compiled.model.from_db(using, compiled.init_list, row[compiled.model_columns])
        for populator in compiled.related_populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        yield instance
