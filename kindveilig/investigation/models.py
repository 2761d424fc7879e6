"""The records of the investigation. Each belongs to a case (``CaseRecord``: versioned, with
history, reached only through the access door) and, where it concerns a person, names them as
the client of its audit events."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindveilig.audit.models import AuditObject
from kindveilig.cases.models import SHORT_TEXT, CaseRecord, Person, long_text
from kindveilig.cases.validators import validate_not_in_future
from kindveilig.knowledge.display import label_of


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Being investigated")
    ANSWERED = "answered", _("Answered")


class ResearchQuestion(CaseRecord):
    """A research question: one of the 6 standard ones (per child where it concerns a child)
    or a specific one, with the plan to answer it and, in the end, the answer."""

    audit_object = AuditObject.RESEARCH_QUESTION

    standard_code = models.CharField(
        _("standard question"),
        max_length=60,
        blank=True,
        help_text=_("Empty for a specific question"),
    )
    child = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child"),
    )
    question = models.TextField(
        _("question"), max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    hypothesis = long_text(_("hypothesis"))
    information_needed = long_text(_("information needed"))
    sources = models.CharField(_("from whom"), max_length=500, blank=True)
    means = models.JSONField(_("means"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    answer = long_text(_("answer"))
    substantiation = long_text(_("substantiation"))
    counter_evidence = long_text(
        _("information that contradicts the hypothesis"),
        help_text=_(
            "What did you find that points the other way? Write it down, also when it was nothing."
        ),
    )

    class Meta:
        verbose_name = _("research question")
        verbose_name_plural = _("research questions")
        ordering = ["case", "id"]
        # A standard question once per child, or once for the family (no child). Two partial
        # constraints rather than NULLS NOT DISTINCT, which SQLite does not support.
        constraints = [
            models.UniqueConstraint(
                fields=["case", "standard_code", "child"],
                condition=~models.Q(standard_code="") & models.Q(child__isnull=False),
                name="standard_question_once_per_child",
            ),
            models.UniqueConstraint(
                fields=["case", "standard_code"],
                condition=~models.Q(standard_code="") & models.Q(child__isnull=True),
                name="standard_question_once_for_family",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:80]

    def audit_clients(self) -> tuple[int, ...]:
        return (self.child_id,) if self.child_id else ()


class LifelineKind(models.TextChoices):
    EVENT = "soort.gebeurtenis", _("Event")
    EXAMINATION = "soort.onderzoek", _("Examination")
    ADVICE = "soort.advies-interventie", _("Advice or intervention")
    EMOTION = "soort.emotie", _("Emotion")


class LifelineAssessment(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    STRENGTH = "strength", _("Strength")
    NEUTRAL = "neutral", _("Neither")


class LifelineEvent(CaseRecord):
    """One line of the lifeline: what happened when, to whom, according to whom."""

    audit_object = AuditObject.LIFELINE_EVENT

    date = models.DateField(_("date"), validators=[validate_not_in_future])
    end_date = models.DateField(_("until"), null=True, blank=True)
    person_ids = models.JSONField(_("persons"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=LifelineKind.choices)
    description = models.TextField(
        _("what happened"), max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    assessment = models.CharField(
        _("problem or strength"),
        max_length=10,
        choices=LifelineAssessment.choices,
        default=LifelineAssessment.NEUTRAL,
    )

    class Meta:
        verbose_name = _("lifeline event")
        verbose_name_plural = _("lifeline events")
        ordering = ["case", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.description[:60]}"

    def audit_clients(self) -> tuple[int, ...]:
        return tuple(int(person_id) for person_id in self.person_ids)


class Observation(CaseRecord):
    """An observation in the ABC format: what came before, the behaviour, what followed."""

    audit_object = AuditObject.OBSERVATION

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("who")
    )
    observed_on = models.DateField(_("date"), validators=[validate_not_in_future])
    setting = models.CharField(_("situation"), max_length=300, blank=True)
    antecedent = long_text(_("A - what came before"))
    behaviour = long_text(_("B - behaviour"))
    consequence = long_text(_("C - what followed"))
    follow_up = long_text(_("follow-up questions and answers"))
    dimension = models.CharField(_("Framework dimension"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["case", "observed_on", "id"]

    def __str__(self) -> str:
        return f"{self.observed_on:%d-%m-%Y} {self.setting[:60]}"

    def audit_clients(self) -> tuple[int, ...]:
        return (self.person_id,)


class ClinicalRange(models.TextChoices):
    NORMAL = "normal", _("Normal range")
    BORDERLINE = "borderline", _("Borderline range")
    CLINICAL = "clinical", _("Clinical range")
    NOT_REPORTED = "not_reported", _("Not reported")


class QuestionnaireAdministration(CaseRecord):
    """A questionnaire filled in about a child: the outcome as reported (no item lists)."""

    audit_object = AuditObject.QUESTIONNAIRE

    child = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    instrument = models.CharField(_("questionnaire"), max_length=40)
    instrument_version = models.CharField(
        _("version of the questionnaire"), max_length=60, blank=True
    )
    informant = models.CharField(_("filled in by"), max_length=40)
    administered_on = models.DateField(_("date"), validators=[validate_not_in_future])
    outcome = long_text(_("outcome"))
    clinical_range = models.CharField(
        _("range"), max_length=20, choices=ClinicalRange.choices, default=ClinicalRange.NOT_REPORTED
    )
    attachment_reference = models.CharField(_("attachment (reference)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["case", "administered_on", "id"]

    def __str__(self) -> str:
        return f"{label_of('questionnaires', self.instrument)} {self.administered_on:%d-%m-%Y}"

    def audit_clients(self) -> tuple[int, ...]:
        return (self.child_id,)


class FindingKind(models.TextChoices):
    CONCERN = "concern", _("Concern")
    STRENGTH = "strength", _("Strength")


class FindingNature(models.TextChoices):
    FACT = "feit", _("Fact")
    OPINION = "mening", _("Opinion")
    EMOTION = "emotie", _("Emotion")
    EXPERIENCE = "beleving", _("Experience")


class FrameworkFinding(CaseRecord):
    """A concern or strength on one of the 20 dimensions of the Framework triangle, about a
    child, a parent or the family (no person), with its nature and source."""

    audit_object = AuditObject.FRAMEWORK_FINDING

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
        help_text=_("Empty: the family as a whole"),
    )
    dimension = models.CharField(_("dimension"), max_length=80)
    kind = models.CharField(_("concern or strength"), max_length=10, choices=FindingKind.choices)
    item_code = models.CharField(_("item"), max_length=120, blank=True)
    text = models.TextField(
        _("finding"), blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    nature = models.CharField(
        _("fact or opinion"),
        max_length=20,
        choices=FindingNature.choices,
        default=FindingNature.FACT,
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Framework finding")
        verbose_name_plural = _("Framework findings")
        ordering = ["case", "dimension", "id"]

    def __str__(self) -> str:
        return f"{label_of('framework_dimensions', self.dimension)}: {self.text[:60]}"

    def audit_clients(self) -> tuple[int, ...]:
        return (self.person_id,) if self.person_id else ()


class ConversationWith(models.TextChoices):
    PARENTS = "parents", _("Parent(s)")
    CHILD = "child", _("Child")
    NETWORK = "network", _("Network")


class ConversationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Not held, with a reason")


class Conversation(CaseRecord):
    """A conversation with parents, a child or the network: its preparation (ch. 4) and, once
    held, its record: the steps covered, notes, the parents' view and change talk, and a child's
    own words in three parts (worries, good things, wishes: the Three Houses)."""

    audit_object = AuditObject.CONVERSATION

    with_whom = models.CharField(
        _("conversation with"), max_length=10, choices=ConversationWith.choices
    )
    person_ids = models.JSONField(_("persons"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.PLANNED,
    )
    planned_on = models.DateField(_("date"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    attendees = models.CharField(_("who attends"), max_length=500, blank=True)
    order_note = models.CharField(
        _("order"),
        max_length=500,
        blank=True,
        help_text=_("Parents are spoken to before the child: write here why not, if not."),
    )
    interpreter = models.CharField(_("interpreter"), max_length=300, blank=True)
    professional_safety = long_text(_("safety of the professional"))
    aftercare = long_text(_("aftercare for the child"))
    steps_covered = models.JSONField(_("steps covered"), default=list, blank=True)
    notes = long_text(_("notes"))
    parents_view = long_text(_("the parents' view"))
    change_talk = models.JSONField(_("change talk"), default=list, blank=True)
    child_worries = long_text(_("worries (in the child's words)"))
    child_good_things = long_text(_("good things (in the child's words)"))
    child_wishes = long_text(_("wishes (in the child's words)"))
    reason_not_held = long_text(_("reason not to talk"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["case", "planned_on", "id"]

    def __str__(self) -> str:
        planned = f"{self.planned_on:%d-%m-%Y}" if self.planned_on else ""
        return f"{self.get_with_whom_display()} {planned}".strip()

    def audit_clients(self) -> tuple[int, ...]:
        return tuple(int(person_id) for person_id in self.person_ids)
