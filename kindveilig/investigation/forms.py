"""Forms of the investigation pages. The choices come from the case (its persons) and from
the knowledge base (means, dimensions, questionnaires, change talk); the services check them
again, so the API is held to the same rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kindveilig.cases.drafts import autosave_attrs
from kindveilig.cases.models import Person, PersonRole
from kindveilig.core.forms import model_formfield
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)
from kindveilig.knowledge.display import entry_label
from kindveilig.knowledge.loader import knowledge_base


def person_choices(persons: list[Person], *, role: str | None = None) -> list[tuple[int, str]]:
    return [
        (
            person.pk,
            f"{person.given_name} {person.family_name} ({person.get_role_display().lower()})",
        )
        for person in persons
        if role is None or person.role == role
    ]


def knowledge_choices(list_name: str, *, prefix: str = "") -> list[tuple[str, str]]:
    return [
        (entry.code, entry_label(entry))
        for entry in knowledge_base()[list_name]
        if entry.code.startswith(prefix)
    ]


class CaseRecordForm(forms.ModelForm):
    """A form for one record of the investigation; ``persons`` are the persons of the case."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        # Dates are typed as dd-mm-jjjj (core.forms.DateField).
        formfield_callback = model_formfield

    def __init__(self, *args: Any, persons: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.set_choices()

    def set_choices(self) -> None:
        """Choices that depend on the case or the knowledge base."""

    def enable_autosave(self, url: str) -> None:
        """Typing in a long text keeps a draft (htmx), so a timeout or a closed tab loses
        nothing."""
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(autosave_attrs(url))

    def set_field_choices(self, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def values(self) -> dict[str, Any]:
        """The cleaned input as service values: relations by id, person lists as ids; fields
        that are shown but not editable are left out."""
        values: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "version" or self.fields[name].disabled:
                continue
            field = self._meta.model._meta.get_field(name)
            if field.is_relation:
                values[field.attname] = value.pk if value is not None else None
            elif name == "person_ids":
                values[name] = [int(person_id) for person_id in value]
            else:
                values[name] = value
        return values


class ResearchQuestionForm(CaseRecordForm):
    means = forms.MultipleChoiceField(
        label=_("By which means"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(CaseRecordForm.Meta):
        model = ResearchQuestion
        fields = [
            "question",
            "child",
            "hypothesis",
            "information_needed",
            "sources",
            "means",
            "status",
            "answer",
            "substantiation",
            "counter_evidence",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "information_needed": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 4}),
            "substantiation": forms.Textarea(attrs={"rows": 4}),
            "counter_evidence": forms.Textarea(attrs={"rows": 4}),
        }

    def set_choices(self) -> None:
        self.set_field_choices("means", knowledge_choices("research_means"))
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = Person.objects.filter(
            pk__in=[p.pk for p in self.persons if p.role == PersonRole.CHILD]
        )
        if self.instance.standard_code:
            # A standard question keeps the words and the child it was made for.
            for name in ("question", "child"):
                self.fields[name].disabled = True


class LifelineEventForm(CaseRecordForm):
    person_ids = forms.MultipleChoiceField(
        label=_("Persons"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(CaseRecordForm.Meta):
        model = LifelineEvent
        fields = ["date", "end_date", "kind", "description", "person_ids", "source", "assessment"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def set_choices(self) -> None:
        self.set_field_choices("person_ids", person_choices(self.persons))


class ObservationForm(CaseRecordForm):
    dimension = forms.ChoiceField(label=_("Framework dimension"), required=False)

    class Meta(CaseRecordForm.Meta):
        model = Observation
        fields = [
            "person",
            "observed_on",
            "setting",
            "antecedent",
            "behaviour",
            "consequence",
            "follow_up",
            "dimension",
        ]
        widgets = {
            "antecedent": forms.Textarea(attrs={"rows": 3}),
            "behaviour": forms.Textarea(attrs={"rows": 3}),
            "consequence": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def set_choices(self) -> None:
        self.set_field_choices("dimension", [("", "—"), *knowledge_choices("framework_dimensions")])
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(pk__in=[p.pk for p in self.persons])


class QuestionnaireForm(CaseRecordForm):
    instrument = forms.ChoiceField(label=_("Questionnaire"))
    informant = forms.ChoiceField(label=_("Filled in by"))

    class Meta(CaseRecordForm.Meta):
        model = QuestionnaireAdministration
        fields = [
            "child",
            "instrument",
            "instrument_version",
            "informant",
            "administered_on",
            "outcome",
            "clinical_range",
            "attachment_reference",
        ]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}

    def set_choices(self) -> None:
        self.set_field_choices("instrument", knowledge_choices("questionnaires"))
        self.set_field_choices("informant", INFORMANTS)
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = Person.objects.filter(
            pk__in=[p.pk for p in self.persons if p.role == PersonRole.CHILD]
        )


INFORMANTS = [
    ("parent", _("Parent")),
    ("teacher", _("Teacher")),
    ("self", _("The young person")),
    ("professional", _("Professional")),
    ("family-member", _("Family member")),
    ("jgz", _("Youth health care (JGZ)")),
]


class FrameworkFindingForm(CaseRecordForm):
    dimension = forms.ChoiceField(label=_("Dimension"))
    item_code = forms.ChoiceField(label=_("Item from the handbook"), required=False)

    class Meta(CaseRecordForm.Meta):
        model = FrameworkFinding
        fields = ["person", "dimension", "kind", "item_code", "text", "nature", "source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def set_choices(self) -> None:
        kb = knowledge_base()
        self.set_field_choices("dimension", knowledge_choices("framework_dimensions"))
        items: list[tuple[str, str]] = [("", "—")]
        for dimension in kb["framework_dimensions"]:
            for item in [
                *(getattr(dimension, "concern_items", None) or []),
                *(getattr(dimension, "strength_items", None) or []),
            ]:
                items.append((item.code, f"{entry_label(dimension)}: {entry_label(item)}"))
        self.set_field_choices("item_code", items)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(pk__in=[p.pk for p in self.persons])
        person.empty_label = str(_("The family as a whole"))


class ConversationForm(CaseRecordForm):
    person_ids = forms.MultipleChoiceField(label=_("With"), widget=forms.CheckboxSelectMultiple)
    change_talk = forms.MultipleChoiceField(
        label=_("Change talk heard"), required=False, widget=forms.CheckboxSelectMultiple
    )
    steps_covered = forms.MultipleChoiceField(
        label=_("Steps covered"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(CaseRecordForm.Meta):
        model = Conversation
        fields = [
            "with_whom",
            "person_ids",
            "status",
            "planned_on",
            "location",
            "attendees",
            "order_note",
            "interpreter",
            "professional_safety",
            "aftercare",
            "steps_covered",
            "notes",
            "parents_view",
            "change_talk",
            "child_worries",
            "child_good_things",
            "child_wishes",
            "reason_not_held",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "professional_safety",
                "aftercare",
                "notes",
                "parents_view",
                "child_worries",
                "child_good_things",
                "child_wishes",
                "reason_not_held",
            )
        }

    def set_choices(self) -> None:
        kb = knowledge_base()
        self.set_field_choices("person_ids", person_choices(self.persons))
        self.set_field_choices(
            "change_talk", knowledge_choices("change_prognosis_items", prefix="verandertaal.")
        )
        steps = []
        for code in ("gesprek-ouders", "gesprek-kind"):
            guide = kb["conversation_guides"].get(code)
            steps += [(f"{code}:{item.label}", item.label) for item in guide.items]  # type: ignore[attr-defined]
        self.set_field_choices("steps_covered", steps)
