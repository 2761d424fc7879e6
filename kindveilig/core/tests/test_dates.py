"""Dates are shown and typed as dd-mm-jjjj, in both languages of the UI and whatever the
browser's language (``core.dates``, ``core.forms.DateField``, ``config/formats``)."""

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from kindveilig.core.forms import DateField


class Form(forms.Form):
    day = DateField(label="Dag", required=False, help_text="Eigen uitleg.")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31-12-2025", dt.date(2025, 12, 31)),
        ("1-2-2025", dt.date(2025, 2, 1)),
        (" 01-02-2025 ", dt.date(2025, 2, 1)),
        ("31122025", dt.date(2025, 12, 31)),
        ("2025-12-31", dt.date(2025, 12, 31)),
    ],
)
def test_a_date_is_typed_day_month_year_or_iso(language, typed, expected) -> None:
    with translation.override(language):
        form = Form({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["12/31/2025", "31-12-25", "31-13-2025", "morgen", "2025-31-12"])
def test_anything_else_is_refused_with_a_clear_dutch_error(typed) -> None:
    with translation.override("nl"):
        form = Form({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == [str(DateField.default_error_messages["invalid"])]
        assert "31-12-2025" in form.errors["day"][0]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_input_is_a_text_box_showing_day_month_year(language) -> None:
    with translation.override(language):
        html = str(Form(initial={"day": dt.date(2025, 2, 1)})["day"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="01-02-2025"' in html
    assert 'inputmode="numeric"' in html and "pattern=" in html and "placeholder=" in html
    # The format is in the help text, which the control names as its description.
    assert 'aria-describedby="id_day_helptext"' in html
    help_text = str(Form().fields["day"].help_text)
    assert "31-12-2025" in help_text and help_text.endswith("Eigen uitleg.")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_are_shown_day_month_year_in_both_languages(language) -> None:
    template = Template('{{ day }} {{ day|date:"SHORT_DATE_FORMAT" }} {{ moment|date }}')
    moment = dt.datetime(2025, 2, 1, 14, 5)
    with translation.override(language):
        text = template.render(Context({"day": dt.date(2025, 2, 1), "moment": moment}))
    assert text == "01-02-2025 01-02-2025 01-02-2025"
