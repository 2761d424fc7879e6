"""Help texts and errors are connected to their controls: every id a control names in
aria-describedby is an element of the page (axe only asks a human to review a missing one)."""

from html.parser import HTMLParser

from django.urls import reverse

from kindveilig.investigation.views import SECTIONS


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if values.get("aria-describedby"):
            self.described.append((tag, str(values["aria-describedby"])))


def descriptions(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    parser = Ids()
    parser.feed(html)
    missing = [
        reference
        for _tag, references in parser.described
        for reference in references.split()
        if reference not in parser.ids
    ]
    return parser.described, missing


def test_every_described_control_points_at_its_help_text_and_errors(
    client, coordinator, family_case
) -> None:
    client.force_login(coordinator)
    pages = [
        client.get(reverse("cases:case_edit", args=[family_case.pk])),
        client.get(reverse("cases:person_add", args=[family_case.pk])),
        client.get(reverse("cases:case_team", args=[family_case.pk])),
        client.get(reverse("cases:break_glass")),
        # Sent back with errors: the errors are described too.
        client.post(reverse("cases:person_add", args=[family_case.pk]), {"role": "child"}),
        client.post(reverse("cases:break_glass"), {"case_id": "x"}),
        *[
            client.post(
                reverse(f"investigation:{section.key}", args=[family_case.pk]), {"version": ""}
            )
            for section in SECTIONS
        ],
    ]
    described_total = 0
    for response in pages:
        assert response.status_code == 200
        described, missing = descriptions(response.content.decode())
        assert missing == [], (response.request["PATH_INFO"], missing)
        described_total += len(described)
    assert described_total > 20


def test_a_group_of_choices_is_a_fieldset_with_a_legend(client, coordinator, family_case) -> None:
    client.force_login(coordinator)
    html = client.post(
        reverse("investigation:conversations", args=[family_case.pk]), {"version": ""}
    )
    text = html.content.decode()
    # "With" (checkboxes of the persons) is required: its error describes the fieldset.
    assert '<fieldset class="utrecht-form-fieldset' in text
    assert 'aria-describedby="id_person_ids_error"' in text
    assert 'id="id_person_ids_error"' in text
