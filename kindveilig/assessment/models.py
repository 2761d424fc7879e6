"""The records of judging (handbook ch. 3): the safety assessment per child (R1, R2), the
causes (research question 5), the risk assessment with its scenarios (R3, R4) and the outcomes
of risk instruments, and the conclusion that answers the 6 research questions.

Safety and risk assessments are never changed once saved: a re-assessment is a new record, the
latest per child (safety) or per case (risk) is the current one, and the earlier ones are the
history of how safety and risk changed over time. An approval (four-eyes, the ``approvals``
app) is given to one such record, so a new assessment needs its own approval. The engine's
outcome is stored as it was at the time (decision and reasons); a professional who deviates
records the decision that holds and why (``override_*``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindveilig.audit.models import AuditObject
from kindveilig.cases.models import SHORT_TEXT, CaseRecord, Person, long_text
from kindveilig.knowledge.display import label_of


class SafetyDecision(models.TextChoices):
    """R1's decisions (``method.judging``), in the words of §3.2.1."""

    DIRECT_DANGER = "direct_danger", _("Direct danger")
    SAFETY_AGREEMENTS_NEEDED = "safety_agreements_needed", _("Safety agreements needed")
    NO_DIRECT_DANGER = "no_direct_danger", _("No direct danger")


class SignalSource(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    SIBLING = "sibling", _("Sibling (R2)")


class Assessed(CaseRecord):
    """Who judged, and when: every assessment is a professional's judgement."""

    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    # The engine's reasons as stored at the time: [{"rule", "code", "source", "facts"}].
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        abstract = True


class SafetyAssessment(Assessed):
    """Safety now for one child (§3.2.1; research questions 1-4): the alarm signals with a note
    each, whether a responsible adult guarantees the child's safety, R1's decision and, where the
    professional deviates, the decision that holds with its reason."""

    audit_object = AuditObject.SAFETY_ASSESSMENT

    child = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    # [{"code": alarm signal code, "source": SignalSource, "note": str}], the sibling signal of
    # R2 included with source "sibling".
    alarm_signals = models.JSONField(_("alarm signals"), default=list, blank=True)
    responsible_adult_guarantees_safety = models.BooleanField(
        _("a responsible adult guarantees the child's safety now"), default=False
    )
    responsible_adult = models.CharField(_("who"), max_length=200, blank=True)
    decision = models.CharField(_("decision (R1)"), max_length=30, choices=SafetyDecision.choices)
    override_decision = models.CharField(
        _("decision of the professional"),
        max_length=30,
        choices=SafetyDecision.choices,
        blank=True,
    )
    override_reason = long_text(_("reason for deviating"))
    threatening_acts = long_text(
        _("threatening acts or omissions of the parents"),
        help_text=_("Research question 2"),
    )
    child_signals = long_text(_("signals of the child"), help_text=_("Research question 3"))
    consequences = long_text(_("consequences for the child"), help_text=_("Research question 4"))
    substantiation = long_text(_("substantiation"))
    # The agreed date to look at the child's safety again; past it, the decision is shown as
    # out of date (a warning, and a next step).
    review_on = models.DateField(_("review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("safety assessment")
        verbose_name_plural = _("safety assessments")
        ordering = ["case", "child", "-assessed_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.get_current_decision_display()} {timezone.localtime(self.assessed_at):%d-%m-%Y}"
        )

    def audit_clients(self) -> tuple[int, ...]:
        return (self.child_id,)

    @property
    def current_decision(self) -> str:
        """The decision that holds: the professional's where they deviated, else R1's."""
        return self.override_decision or self.decision

    def get_current_decision_display(self) -> str:
        return str(SafetyDecision(self.current_decision).label)

    @property
    def overridden(self) -> bool:
        return bool(self.override_decision)

    @property
    def signal_codes(self) -> list[str]:
        return [signal["code"] for signal in self.alarm_signals]


class RiskAssessment(Assessed):
    """The risk of maltreatment in the future for the family (§3.4; research question 6): the
    risk and protective factors (R4, context, never a prediction) and the risk scenarios
    (``RiskScenario``, R3)."""

    audit_object = AuditObject.RISK_ASSESSMENT

    # [{"code": risk factor code, "weighty": bool}]
    risk_factors = models.JSONField(_("risk factors"), default=list, blank=True)
    # [protective factor code]
    protective_factors = models.JSONField(_("protective factors"), default=list, blank=True)
    context = models.CharField(_("context (R4)"), max_length=10, blank=True)
    notes = long_text(_("notes"))

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["case", "-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {timezone.localtime(self.assessed_at):%d-%m-%Y}"

    @property
    def risk_factor_codes(self) -> list[str]:
        return [factor["code"] for factor in self.risk_factors]


class ScenarioKind(models.TextChoices):
    """The kinds of scenario (§3.4); the codes are the engine's ``judging.SCENARIO_KINDS``."""

    CONTINUATION = "continuation", _("The maltreatment continues")
    RECURRENCE = "recurrence", _("The maltreatment happens again")
    ONSET = "onset", _("Maltreatment starts")
    CIRCUMSTANCES_CHANGE = "circumstances-change", _("Circumstances change")
    POSITIVE_DEVELOPMENT = "positive-development", _("Things go well")


class RiskScenario(models.Model):
    """One scenario of a risk assessment, with its priority by R3 as computed when it was
    saved (so the history of priorities stays as it was) and the professional's deviation."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="scenarios"
    )
    position = models.PositiveSmallIntegerField(_("position"))  # R3 order, from 1
    description = models.TextField(
        _("description"), max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ScenarioKind.choices)
    trigger = models.CharField(_("trigger"), max_length=500, blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    severity = models.PositiveSmallIntegerField(
        _("severity (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    priority = models.CharField(_("priority (R3)"), max_length=1)
    override_priority = models.CharField(
        _("priority of the professional"), max_length=1, blank=True
    )
    override_reason = long_text(_("reason for deviating"))

    class Meta:
        verbose_name = _("risk scenario")
        verbose_name_plural = _("risk scenarios")
        ordering = ["assessment", "position"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def current_priority(self) -> str:
        return self.override_priority or self.priority

    @property
    def requires_safety_plan(self) -> bool:
        """A and B scenarios need agreements in the safety plan (R3)."""
        return self.current_priority in ("A", "B")


class InstrumentOutcome(CaseRecord):
    """The outcome of a risk instrument that was used (CARE-NL, LIRIK, Delta, CFRA), recorded
    as entered: Kindveilig does not score instruments, and shows the handbook's caveats beside
    them."""

    audit_object = AuditObject.INSTRUMENT_OUTCOME

    instrument = models.CharField(_("instrument"), max_length=60)
    administered_on = models.DateField(_("date"))
    administered_by = models.CharField(_("by whom"), max_length=200)
    outcome = models.TextField(
        _("outcome"), max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    remarks = long_text(_("remarks"))

    class Meta:
        verbose_name = _("risk instrument outcome")
        verbose_name_plural = _("risk instrument outcomes")
        ordering = ["case", "-administered_on", "-id"]

    def __str__(self) -> str:
        return f"{label_of('risk_instruments', self.instrument)} {self.administered_on:%d-%m-%Y}"


class CauseKind(models.TextChoices):
    PARENT = "parent", _("Parent factor")
    FAMILY_ENVIRONMENT = "family_environment", _("Family and environment")


class CausePolarity(models.TextChoices):
    NEGATIVE = "negative", _("Concern")
    POSITIVE = "positive", _("Strength or support")


class CauseFactor(CaseRecord):
    """A cause (research question 5, §3.3, table 3.3): a parent factor (negative or positive)
    of one parent, or a concern or source of support in the family and environment (a
    dimension of the Framework's environment side), with a note."""

    audit_object = AuditObject.CAUSE_FACTOR

    kind = models.CharField(_("kind"), max_length=20, choices=CauseKind.choices)
    parent = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent"),
    )
    # A parent factor code (parent_factors) or a Framework dimension (framework_dimensions,
    # domain "omgeving").
    code = models.CharField(_("factor"), max_length=80)
    polarity = models.CharField(_("nature"), max_length=10, choices=CausePolarity.choices)
    note = long_text(_("note"))

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["case", "kind", "parent", "id"]

    def __str__(self) -> str:
        name = "parent_factors" if self.kind == CauseKind.PARENT else "framework_dimensions"
        return label_of(name, self.code)

    def audit_clients(self) -> tuple[int, ...]:
        return (self.parent_id,) if self.parent_id else ()


class Conclusion(CaseRecord):
    """The coherent picture (samenhangend beeld, §3.5): the summary that links the answers to
    the 6 research questions (kept with the research questions) with the findings and
    assessments they rest on. One per case, changed with optimistic concurrency; an approval
    holds for the version it was given to."""

    audit_object = AuditObject.CONCLUSION

    summary = long_text(_("coherent picture"))
    sources = long_text(_("on what it rests"))

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [models.UniqueConstraint(fields=["case"], name="one_conclusion_per_case")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def written(self) -> bool:
        """Whether there is a conclusion to show and approve (not only an empty record)."""
        return bool(self.summary.strip() or self.sources.strip())
