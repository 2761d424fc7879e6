"""Prepared querysets (core.prepared) give what the ORM gives, with each call's own values,
and refuse the shapes they would get wrong."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindveilig.accounts.models import LoginSession as Session
from kindveilig.accounts.sessions import SessionStore
from kindveilig.cases.models import Case, CaseMember, Person
from kindveilig.core.prepared import Prepared
from kindveilig.demo import builders


def _membership(case_id: int, user_id: int, today: dt.date):
    current = CaseMember.objects.current(on=today).filter(case_id=OuterRef("pk"), user_id=user_id)
    return Case.objects.annotate(is_member=Exists(current)).filter(pk=case_id)


MEMBERSHIP = Prepared(_membership, case_id=int, user_id=int, today=dt.date)
MEMBERS_WITH_USERS = Prepared(
    lambda case_id: CaseMember.objects.filter(case_id=case_id).select_related(
        "user", "user__organisation"
    ),
    case_id=int,
)


def test_rows_annotations_and_related_objects_are_the_orms(family_case, coordinator) -> None:
    today = timezone.localdate()
    expected = _membership(family_case.pk, coordinator.pk, today).get()
    got = MEMBERSHIP.first(case_id=family_case.pk, user_id=coordinator.pk, today=today)
    assert got is not None
    assert (got.pk, got.name, got.created_at, got.is_member) == (
        expected.pk,
        expected.name,
        expected.created_at,
        True,
    )
    members = MEMBERS_WITH_USERS.list(case_id=family_case.pk)
    orm = list(CaseMember.objects.filter(case=family_case).select_related("user__organisation"))
    assert [(m.pk, m.role, m.start_date) for m in members] == [
        (m.pk, m.role, m.start_date) for m in orm
    ]
    with CaptureQueriesContext(connection) as queries:  # loaded with the row, no query
        names = [m.user.organisation.name for m in members if m.user is not None]
    assert names and len(queries) == 0


def test_each_call_uses_its_own_values(family_case, coordinator, outsider) -> None:
    today = timezone.localdate()
    member = MEMBERSHIP.first(case_id=family_case.pk, user_id=coordinator.pk, today=today)
    stranger = MEMBERSHIP.first(case_id=family_case.pk, user_id=outsider.pk, today=today)
    assert member is not None and member.is_member is True
    assert stranger is not None and stranger.is_member is False
    # The date is a value too: before the membership started there was none.
    before = MEMBERSHIP.first(
        case_id=family_case.pk, user_id=coordinator.pk, today=dt.date(2000, 1, 1)
    )
    assert before is not None and before.is_member is False
    assert (
        MEMBERSHIP.first(case_id=family_case.pk + 1000, user_id=coordinator.pk, today=today) is None
    )


def test_the_statement_is_compiled_once_per_connection_and_still_counted(family_case) -> None:
    built = []

    def build(case_id: int):
        built.append(case_id)
        return Person.objects.filter(case_id=case_id).order_by("pk")

    persons = Prepared(build, case_id=int)
    first = persons.list(case_id=family_case.pk)
    with CaptureQueriesContext(connection) as queries:
        again = persons.list(case_id=family_case.pk)
    assert (
        [p.pk for p in again]
        == [p.pk for p in first]
        == sorted(family_case.persons.values_list("pk", flat=True))
    )
    assert len(built) == 1  # with stand-in values, never the real ones
    assert built[0] != family_case.pk
    assert len(queries) == 1  # the query-count pins still see it


@pytest.mark.django_db
def test_a_moment_the_builder_computes_itself_is_refused() -> None:
    frozen = Prepared(
        lambda case_id: CaseMember.objects.current().filter(case_id=case_id), case_id=int
    )
    with pytest.raises(ImproperlyConfigured, match="frozen"):
        frozen.list(case_id=1)


@pytest.mark.django_db
def test_shapes_it_cannot_run_are_refused(family_case) -> None:
    unused = Prepared(
        lambda case_id, user_id: Case.objects.filter(pk=case_id), case_id=int, user_id=int
    )
    with pytest.raises(ImproperlyConfigured, match="not used"):
        unused.list(case_id=1, user_id=2)
    values = Prepared(lambda case_id: Case.objects.filter(pk=case_id).values("name"), case_id=int)
    with pytest.raises(ImproperlyConfigured):
        values.list(case_id=1)
    related = Prepared(lambda case_id: family_case.persons.filter(pk=case_id), case_id=int)
    with pytest.raises(ImproperlyConfigured):
        related.list(case_id=1)
    with pytest.raises(TypeError):
        MEMBERSHIP.list(case_id=1)
    with pytest.raises(TypeError):
        MEMBERSHIP.list(case_id=None, user_id=1, today=timezone.localdate())


@pytest.mark.django_db
def test_the_session_read_honours_expiry() -> None:
    live = SessionStore()
    live["kv"] = "live"
    live.create()
    expired = SessionStore()
    expired["kv"] = "expired"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert SessionStore(live.session_key).load() == {"kv": "live"}
    gone = SessionStore(expired.session_key)
    assert gone.load() == {}
    assert gone.session_key is None  # as Django's: a new session is started


@pytest.mark.django_db
def test_an_organisation_user_loads_through_the_backend_with_their_organisation() -> None:
    from kindveilig.accounts.backends import UserWithOrganisationBackend

    user = builders.user("prepared-user", organisation=builders.organisation("Org P"))
    backend = UserWithOrganisationBackend()
    loaded = backend.get_user(user.pk)
    assert loaded == user
    with CaptureQueriesContext(connection) as queries:
        assert loaded is not None and loaded.organisation.name == "Org P"
    assert len(queries) == 0
    for bad in ("x", None, -1, 2**70, str(user.pk + 999)):
        assert backend.get_user(bad) is None
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None


def test_a_new_prepared_query_never_runs_the_statement_of_an_earlier_one(family_case) -> None:
    for round_number in range(20):
        role = ["child", "parent"][round_number % 2]
        shape = Prepared(
            lambda case_id, role=role: Person.objects.filter(case_id=case_id, role=role),
            case_id=int,
        )
        got = [person.pk for person in shape.list(case_id=family_case.pk)]
        assert got == list(
            Person.objects.filter(case=family_case, role=role).values_list("pk", flat=True)
        )
        del shape  # its id may be given to the next one


def test_rows_of_an_owner_are_linked_to_it_without_a_query(family_case) -> None:
    persons = Prepared(lambda case_id: Person.objects.filter(case_id=case_id), case_id=int)
    rows = persons.list_of("case", family_case, case_id=family_case.pk)
    assert rows
    with CaptureQueriesContext(connection) as queries:
        assert all(person.case is family_case for person in rows)
    assert len(queries) == 0


def _server_prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_the_statement_is_prepared_on_the_server_once_and_logged_as_sent(family_case) -> None:
    persons = Prepared(
        lambda case_id: Person.objects.filter(case_id=case_id).order_by("pk"), case_id=int
    )
    with CaptureQueriesContext(connection) as queries:
        first = persons.list(case_id=family_case.pk)
        again = persons.list(case_id=family_case.pk)
        other = persons.list(case_id=family_case.pk + 1000)
    assert [p.pk for p in first] == [p.pk for p in again] != []
    assert other == []  # the prepared statement takes each run's own value
    kept = [text for text in _server_prepared_statements() if '"cases_person"' in text]
    assert len(kept) == 1 and "$1" in kept[0]
    # Django's query log (and so the query-count pins) names every run, prepared or not.
    assert [q["sql"].startswith('SELECT "cases_person"') for q in queries] == [True] * 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_the_audit_insert_is_prepared_and_other_statements_are_not(
    family_case, coordinator
) -> None:
    from kindveilig.audit import events

    Case.objects.filter(pk=family_case.pk).update(name="Familie Prepared")  # an ORM statement
    first, second = events.login(coordinator), events.login(coordinator)
    assert (second.seq, second.previous_hash) == (first.seq + 1, first.hash)
    kept = _server_prepared_statements()
    assert any(text.startswith('INSERT INTO "audit_auditevent"') for text in kept)
    assert not [text for text in kept if text.startswith('UPDATE "cases_case"')]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_the_statement_cursor_is_kept_with_its_connection_and_not_beyond() -> None:
    from django.db import connections

    from kindveilig.core.prepared import statement_cursor

    other = connections.create_connection("default")
    try:
        with statement_cursor(other) as first:
            first.execute("SELECT %s::int", [1])
            assert first.fetchone() == (1,)
        with statement_cursor(other) as second:  # still open after the block closed it
            second.execute("SELECT %s::int", [2])
            assert second.fetchone() == (2,)
        assert first.cursor is second.cursor
        other.close()  # a new connection gets a new cursor, never the old one's
        with statement_cursor(other) as third:
            third.execute("SELECT %s::int", [3])
            assert third.fetchone() == (3,)
        assert third.cursor is not first.cursor
    finally:
        other.close()


# A table of two plain columns to insert into; the statement inserts only where the user is a
# member of the case found.
INSERT_A_CONTENT_TYPE = (
    "INSERT INTO django_content_type (app_label, model) SELECT %s::text, %s::text "
    "FROM {source} WHERE {condition} RETURNING id"
)


def test_a_read_inserts_in_its_own_statement_only_when_its_row_says_so(
    family_case, coordinator, outsider
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a read with an INSERT in its statement needs PostgreSQL")
    today = timezone.localdate()

    def read(user, case_id: int, model: str):
        with CaptureQueriesContext(connection) as queries:
            got = MEMBERSHIP.first_inserting(
                INSERT_A_CONTENT_TYPE,
                ["kv-test", model],
                'found."is_member"',
                [],
                case_id=case_id,
                user_id=user.pk,
                today=today,
            )
        assert len(queries) == 1
        return got

    member_case, inserted = read(coordinator, family_case.pk, "by-member")
    assert member_case == family_case and member_case.is_member is True
    assert ContentType.objects.get(pk=inserted).model == "by-member"
    outsider_case, nothing = read(outsider, family_case.pk, "by-outsider")
    assert outsider_case == family_case and outsider_case.is_member is False
    assert nothing is None
    assert read(coordinator, 987654, "no-case") == (None, None)
    assert set(ContentType.objects.filter(app_label="kv-test").values_list("model", flat=True)) == {
        "by-member"
    }


def test_a_read_with_an_insert_is_refused_where_it_cannot_be_one_statement(family_case) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL runs it")
    with pytest.raises(ImproperlyConfigured):
        MEMBERSHIP.first_inserting(
            INSERT_A_CONTENT_TYPE,
            ["kv-test", "x"],
            'found."is_member"',
            [],
            case_id=family_case.pk,
            user_id=1,
            today=timezone.localdate(),
        )
    assert not ContentType.objects.filter(app_label="kv-test").exists()
