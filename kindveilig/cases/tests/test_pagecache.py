"""A case page's body is rendered once per change of the case (``cases.pagecache``): every
audited write shows at the next request, whichever app made it; the door and the audit event
stay per request; each browser gets its own CSRF token; language, day and user are kept
apart; and the change stamp's query uses its own index on both databases."""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import VerifiedClient
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.audit.models import AuditAction, AuditEvent
from kindveilig.audit.selectors import case_write_count_of
from kindveilig.cases import services
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import Case, CaseMember, CaseRole
from kindveilig.cases.pagecache import page_key
from kindveilig.core.kept import CSRF_PLACEHOLDER
from kindveilig.investigation import services as investigation


def page(client, case) -> str:
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|content="[^"]{40,}"')


def without_tokens(html: str) -> str:
    """The page without this request's CSRF tokens (masked anew for every request)."""
    return TOKENS.sub("", html)


def reads_of(case) -> int:
    return AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.READ).count()


def test_a_kept_body_skips_the_workspace_reads_but_not_the_door_or_the_audit(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    first = page(client, family_case)
    reads = reads_of(family_case)
    with CaptureQueriesContext(connection) as kept:
        second = page(client, family_case)
    assert reads_of(family_case) == reads + 1  # the read is logged as ever
    assert "Lotte Proef" in second
    assert without_tokens(first) == without_tokens(second)
    statements = " ".join(query["sql"] for query in kept.captured_queries)
    assert "investigation_" not in statements and "assessment_" not in statements


def latest_read_clients(case) -> set[int]:
    event = AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.READ).latest("id")
    return set(event.client_id_list())


def test_a_kept_page_names_every_person_of_the_case_without_reading_them(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    page(client, family_case)
    with CaptureQueriesContext(connection) as kept:
        page(client, family_case)
    reads = [query["sql"] for query in kept.captured_queries]
    assert not any(sql.startswith('SELECT "cases_person"') for sql in reads)  # only their ids
    persons = set(family_case.persons.values_list("pk", flat=True))
    assert len(persons) > 1 and latest_read_clients(family_case) == persons

    services.person_add(
        actor=coordinator,
        case=family_case,
        role="child",
        given_name="Sem",
        family_name="Proef",
        birth_date=dt.date(2019, 5, 5),
    )
    page(client, family_case)
    page(client, family_case)  # kept again
    assert latest_read_clients(family_case) == persons | {
        family_case.persons.get(given_name="Sem").pk
    }

    empty = services.case_create(actor=coordinator, name="familie Leeg")
    page(client, empty)
    page(client, empty)
    event = AuditEvent.objects.filter(case_id=empty.pk, action=AuditAction.READ).latest("id")
    assert event.client_ids == ""


def test_every_kind_of_write_shows_at_the_next_request(client, family_case, coordinator) -> None:
    client.force_login(coordinator)
    lotte = family_case.persons.get(given_name="Lotte")
    page(client, family_case)

    case = services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=family_case.version,
        changes={"name": "familie Gewijzigd"},
    )
    assert "familie Gewijzigd" in page(client, case)

    services.person_add(
        actor=coordinator, case=case, role="child", given_name="Sem", family_name="Proef",
        birth_date=dt.date(2019, 5, 5),
    )  # fmt: skip
    assert "Sem Proef" in page(client, case)

    services.person_update(
        actor=coordinator, person=lotte, expected_version=lotte.version,
        changes={"phone": "0612345678"},
    )  # fmt: skip
    assert "0612345678" in page(client, case)

    services.maltreatment_form_record(
        actor=coordinator, child=lotte, code="fysieke-mishandeling", status="established"
    )
    assert 'data-testid="maltreatment-forms-' in page(client, case)

    # Another app's write: a child in direct danger shows on the case page at once.
    before = page(client, case)
    assert "kv-tag--danger" not in before
    safety_assessment_record(
        actor=coordinator, case=case, child_id=lotte.pk,
        alarm_signals=["mishandeling.letsel-zonder-ongeval"],
        responsible_adult_guarantees_safety=False, responsible_adult="",
        substantiation="Gezien op school.",
    )  # fmt: skip
    assert "kv-tag--danger" in page(client, case)

    # The investigation (another app again): an answered research question is counted.
    question = investigation.research_question_start(
        actor=coordinator, case=case, standard_code="kindsignalen", child_id=lotte.pk
    )
    assert '<span class="kv-meta">0/' in page(client, case)
    investigation.investigation_record_change(
        actor=coordinator, record=question, expected_version=question.version,
        values={"status": "answered", "answer": "Ja.", "substantiation": "School en moeder."},
    )  # fmt: skip
    assert '<span class="kv-meta">1/' in page(client, case)

    # Who may see the case: a new colleague is listed.
    newcomer = CaseMember.objects.model.user.field.related_model.objects.create(
        username="nieuwe-collega", organisation=coordinator.organisation, email="n@example.org"
    )
    services.case_member_add(actor=coordinator, case=case, role=CaseRole.CASE_WORKER, user=newcomer)
    assert "n@example.org" in page(client, case)


def stamp_of(case, user) -> int:
    """The change stamp as the door reads it."""
    return access_case(user, case.pk, purpose=Purpose.READ).change_stamp


def test_reads_do_not_change_the_stamp_and_writes_always_do(family_case, coordinator) -> None:
    stamp = stamp_of(family_case, coordinator)
    services.person_bsn_reveal(actor=coordinator, person=family_case.persons.first())
    assert stamp_of(family_case, coordinator) == stamp
    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=family_case.version,
        changes={"reason_for_concern": "Zorgen op school."},
    )
    assert stamp_of(family_case, coordinator) == stamp + 1


def test_a_removed_member_is_refused_even_with_a_kept_page(
    client, family_case, coordinator, make_user
) -> None:
    colleague = family_case.members.get(user__username="colleague")
    client.force_login(colleague.user)
    assert "Lotte Proef" in page(client, family_case)
    services.case_member_end(actor=coordinator, member=colleague)
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    assert response.status_code == 404
    assert b"Lotte" not in response.content


def test_each_browser_gets_a_working_csrf_token_of_its_own(
    family_case, coordinator, organisation
) -> None:
    lotte = family_case.persons.get(given_name="Lotte")
    lotte = services.person_update(
        actor=coordinator, person=lotte, expected_version=lotte.version,
        changes={"bsn": "111222333"},
    )  # fmt: skip
    laptop = VerifiedClient(enforce_csrf_checks=True)
    phone = VerifiedClient(enforce_csrf_checks=True)
    laptop.force_login(coordinator)
    phone.force_login(coordinator)
    page(laptop, family_case)  # renders and keeps the body
    html = page(phone, family_case)  # the kept body
    assert CSRF_PLACEHOLDER not in html
    form = html[html.index(f'id="bsn-{lotte.pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    response = phone.post(
        reverse("cases:person_bsn", args=[family_case.pk, lotte.pk]),
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert "111222333" in response.content.decode()


def test_language_and_day_and_user_are_kept_apart(
    client, family_case, coordinator, monkeypatch
) -> None:
    client.force_login(coordinator)
    assert "Gezin" in page(client, family_case)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page(client, family_case)
    assert "Family" in english and "Gezin" not in english

    request = client.get(reverse("cases:case_detail", args=[family_case.pk])).wsgi_request
    case = access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    key = page_key(request, case, "cases/_case_detail_body.html")
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args: dt.date.today() + dt.timedelta(days=1)
    )
    assert page_key(request, case, "cases/_case_detail_body.html") != key
    monkeypatch.undo()
    request.user = family_case.members.get(user__username="colleague").user
    assert page_key(request, case, "cases/_case_detail_body.html") != key
    # A case that did not come through the door has no stamp: its page cannot be kept.
    with pytest.raises(AttributeError):
        page_key(request, family_case, "cases/_case_detail_body.html")


@pytest.mark.django_db
def test_the_door_reads_the_stamp_through_its_partial_index() -> None:
    """The index's condition (migration audit 0003) and the stamp's must match, or the door
    reads every event of a much-read case."""
    stamped = Case.objects.filter(pk=7).annotate(
        change_stamp=case_write_count_of(f'"{Case._meta.db_table}"."id"')
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test's table is tiny
    assert "audit_event_case_writes" in stamped.explain()


def test_the_api_answer_is_kept_and_shows_every_write_at_the_next_call(
    family_case, coordinator
) -> None:
    from django.test import Client

    from kindveilig.accounts.services import api_token_create

    api = Client(headers={"Authorization": f"Bearer {api_token_create(user=coordinator)}"})
    url = f"/api/v1/cases/{family_case.pk}"
    api.get(url)  # the token's first use is written
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as built:
        first = api.get(url)
    assert first["Content-Type"].startswith("application/json")
    with CaptureQueriesContext(connection) as kept:
        second = api.get(url)
    assert second.json() == first.json()
    assert len(kept) == len(built) - 2  # neither the team nor the persons are read again
    added = api.post(
        f"/api/v1/cases/{family_case.pk}/persons",
        {"role": "child", "given_name": "Sem", "family_name": "Proef", "birth_date": "2019-05-05"},
        content_type="application/json",
    )
    assert added.status_code == 201
    persons = [person["given_name"] for person in api.get(url).json()["persons"]]
    assert "Sem" in persons


def test_nothing_is_kept_inside_an_open_transaction(client, family_case, coordinator) -> None:
    """Its writes could still be rolled back, and the next committed write would bring the same
    stamp with other data."""
    from django.db import transaction

    client.force_login(coordinator)
    with transaction.atomic():
        services.person_add(
            actor=coordinator, case=family_case, role="child", given_name="Sem",
            family_name="Proef", birth_date=dt.date(2019, 5, 5),
        )  # fmt: skip
        assert "Sem Proef" in page(client, family_case)
        transaction.set_rollback(True)
    assert "Sem Proef" not in page(client, family_case)
    # The next committed write brings the stamp the rolled-back one had.
    services.person_add(
        actor=coordinator, case=family_case, role="child", given_name="Mila",
        family_name="Proef", birth_date=dt.date(2020, 6, 6),
    )  # fmt: skip
    html = page(client, family_case)
    assert "Mila Proef" in html and "Sem Proef" not in html


def test_the_whole_page_is_kept_per_path_never_with_messages_or_emergency_access(
    rf, family_case, coordinator
) -> None:
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    from kindveilig.cases.pagecache import case_page

    case = access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    built: list[int] = []

    def shown(path: str, message: str = "") -> str:
        request = rf.get(path)
        request.user, request.session = coordinator, SessionStore()
        request._messages = FallbackStorage(request)
        if message:
            messages.success(request, message)

        def context() -> dict[str, object]:
            built.append(1)
            return {"case": case, "body": "", "break_glass": None}

        return case_page(request, case, "cases/case_detail.html", context).content.decode()

    url = reverse("cases:case_detail", args=[family_case.pk])
    first = shown(url)
    assert without_tokens(shown(url)) == without_tokens(first) and len(built) == 1
    assert "Opgeslagen" in shown(url, message="Opgeslagen") and len(built) == 2
    assert "Opgeslagen" not in shown(url) and len(built) == 2  # the kept page again
    # The layout's language switch returns to the page's own path, query included.
    assert f'value="{url}?tab=team"' in shown(url + "?tab=team") and len(built) == 3
    # Through emergency access the banner shows the access's end time: rendered each time.
    case.entered_via_break_glass = True
    shown(url)
    shown(url)
    assert len(built) == 5
