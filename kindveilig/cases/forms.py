from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindveilig.cases.drafts import autosave_attrs
from kindveilig.cases.models import (
    LONG_TEXT,
    SHORT_TEXT,
    BreakGlassReason,
    Case,
    CaseRole,
    LegalContext,
    MaltreatmentStatus,
    Person,
    PersonRole,
    Sex,
)
from kindveilig.cases.workflow import allowed_transitions
from kindveilig.core.forms import DateField
from kindveilig.knowledge.display import entry_label
from kindveilig.knowledge.loader import knowledge_base

CASE_EDIT_FORM_KEY = "case-edit"


class CaseEditForm(forms.Form):
    name = forms.CharField(label=_("Name of the case"), max_length=200)
    legal_context = forms.ChoiceField(label=_("Legal context"), choices=LegalContext.choices)
    reason_for_concern = forms.CharField(
        label=_("Reason for concern"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What worries the reporter and you, in plain words: facts and their source."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def enable_autosave(self, case_id: int) -> None:
        """Typing in a long text saves a draft (htmx) a moment after the last keystroke."""
        url = reverse("cases:draft_save", args=[case_id, CASE_EDIT_FORM_KEY])
        self.fields["reason_for_concern"].widget.attrs.update(autosave_attrs(url))


class CaseStageForm(forms.Form):
    """Move the case to another stage; only the stages the transition table allows are offered."""

    # A prefix keeps the field ids apart from the edit form on the same page.
    prefix = "stage"

    stage = forms.ChoiceField(label=_("Move to stage"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: QueryDict | None = None, *, case: Case) -> None:
        super().__init__(data, initial={"version": case.version})
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.choices = [
            (option.value, option.label) for option in allowed_transitions(case.status)
        ]


class BreakGlassForm(forms.Form):
    case_id = forms.IntegerField(label=_("Case number"), min_value=1, max_value=2**63 - 1)
    reason_category = forms.ChoiceField(
        label=_("Kind of emergency"),
        choices=BreakGlassReason.choices,
        widget=forms.RadioSelect,
        initial=BreakGlassReason.URGENT_INFORMATION,
    )
    reason = forms.CharField(
        label=_("Reason for emergency access"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why must you see this case now? Your reason is logged and checked."),
    )


class CaseCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the case"),
        max_length=200,
        help_text=_("Usually the family name, for example: familie Jansen"),
    )
    legal_context = forms.ChoiceField(label=_("Legal context"), choices=LegalContext.choices)


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = DateField(
        label=_("Date of birth"), required=False, help_text=_("Required for a child.")
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    relation = forms.CharField(
        label=_("Relation"),
        required=False,
        max_length=100,
        help_text=_("For example: mother, grandmother, neighbour"),
    )
    has_parental_authority = forms.NullBooleanField(
        label=_("Has parental authority"), required=False
    )
    lives_in_household = forms.NullBooleanField(label=_("Lives in the household"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)


class PersonEditForm(PersonForm):
    """Every field of a person. The stored BSN is not put in the page: the field is empty,
    typing a number replaces it, and a tick removes it."""

    remove_bsn = forms.BooleanField(label=_("Remove the stored BSN"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    # The tick right below the BSN; the other fields follow in their own order.
    field_order = ["role", "given_name", "family_name", "birth_date", "sex", "bsn", "remove_bsn"]

    def __init__(self, data: QueryDict | None = None, *, person: Person) -> None:
        initial = {name: getattr(person, name) for name in PersonForm.base_fields if name != "bsn"}
        super().__init__(data, initial={**initial, "version": person.version})
        if person.bsn:
            self.fields["bsn"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type a number to replace it."
            ) % {"masked": person.bsn_masked}
        else:
            del self.fields["remove_bsn"]

    def changes(self) -> dict[str, Any]:
        """The cleaned input as changes for ``person_update``; the BSN only when replaced or
        removed."""
        changes = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"bsn", "remove_bsn", "version"}
        }
        if self.cleaned_data["bsn"]:
            changes["bsn"] = self.cleaned_data["bsn"]
        elif self.cleaned_data.get("remove_bsn"):
            changes["bsn"] = ""
        return changes


def maltreatment_form_choices() -> list[tuple[str, str]]:
    return [(entry.code, entry_label(entry)) for entry in knowledge_base()["maltreatment_forms"]]


class MaltreatmentFormForm(forms.Form):
    """A form of maltreatment of one child (the child is in the page's address)."""

    code = forms.ChoiceField(label=_("Form of maltreatment"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=MaltreatmentStatus.choices,
        widget=forms.RadioSelect,
        initial=MaltreatmentStatus.SUSPECTED,
    )
    onset = forms.CharField(
        label=_("Since when"),
        required=False,
        max_length=200,
        help_text=_("A date or a period, as precisely as known: for example, since spring 2024"),
    )
    frequency = forms.CharField(
        label=_("Frequency"),
        required=False,
        max_length=200,
        help_text=_("For example: once, several times a month, daily"),
    )
    severity = forms.CharField(
        label=_("Severity"),
        required=False,
        max_length=200,
        help_text=_("What happens and its consequences for the child, in a few words"),
    )
    duration = forms.CharField(label=_("Duration"), required=False, max_length=200)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("Who reported it or where the information comes from"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, data: QueryDict | None = None, *, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, initial=initial)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", "—"), *maltreatment_form_choices()]

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class MaltreatmentFormEndForm(forms.Form):
    ended_on = DateField(label=_("Ended on"), required=False, help_text=_("Today when left empty."))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the maltreatment has stopped, or the suspicion was not confirmed."
        ),
    )

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data, initial={"ended_on": timezone.localdate()})


INTERNAL_ROLE_CHOICES = [
    (role.value, role.label)
    for role in (CaseRole.CASE_WORKER, CaseRole.BEHAVIOURAL_SCIENTIST, CaseRole.COORDINATOR)
]


class ColleagueForm(forms.Form):
    """Add a colleague of the organisation to the case, by username (an organisation can have
    thousands of accounts: no list of all of them; the page suggests the user's own team)."""

    prefix = "colleague"

    username = forms.CharField(
        label=_("Colleague (username)"),
        max_length=150,
        widget=forms.TextInput(attrs={"list": "colleague-suggestions", "autocomplete": "off"}),
        help_text=_("Colleagues of your own team are suggested while you type."),
    )
    role = forms.ChoiceField(label=_("Role in case"), choices=INTERNAL_ROLE_CHOICES)


class ExternalProfessionalForm(forms.Form):
    """Add a professional of another organisation (no account): name and how to reach them."""

    prefix = "external"

    name = forms.CharField(label=_("Name"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    discipline = forms.CharField(
        label=_("Discipline"),
        max_length=200,
        required=False,
        help_text=_("For example: GP, teacher, youth health care"),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in case"), choices=INTERNAL_ROLE_CHOICES)
    version = forms.IntegerField(widget=forms.HiddenInput)
