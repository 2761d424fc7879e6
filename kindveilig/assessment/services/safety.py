"""Writes for the safety assessment per child (§3.2.1; research questions 1-4, R1 and R2).

An assessment is never changed: a re-assessment is a new record, and the latest per child is
the current one. The service checks the input against the case and the knowledge base, applies
R2 (the sibling signal, from the current assessments of the other children) and then R1 (direct
danger), stores the engine's decision and reasons as they are now, and the professional's
deviation with its reason where they deviate. Everything happens in one transaction; on wrong
input a ValidationError names every field and nothing is saved.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.assessment.models import SafetyAssessment, SafetyDecision
from kindveilig.assessment.selectors.current import current_safety_assessments, forget_judging
from kindveilig.assessment.services.overrides import override_errors
from kindveilig.cases.models import Case, Person, PersonRole
from kindveilig.cases.records import save_new
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.method.judging import direct_danger, sibling_signal, signals_with_siblings
from kindveilig.method.outcome import Judgement, Override, Rule

Errors = dict[str, list[str]]


def _child_of(case: Case, child_id: int, errors: Errors) -> Person | None:
    child = case.persons.filter(pk=child_id, role=PersonRole.CHILD).first()
    if child is None:
        errors["child_id"] = [
            _("Person %(id)s is not a child of this case.") % {"id": child_id},
        ]
    return child


def _check_signals(codes: list[str], errors: Errors) -> None:
    known = knowledge_base()["alarm_signals"]
    unknown = sorted({code for code in codes if code not in known})
    if unknown:
        errors["alarm_signals"] = [
            _("“%(code)s” is not an alarm signal of the knowledge base.") % {"code": code}
            for code in unknown
        ]


def _check_notes(codes: set[str], notes: dict[str, str], errors: Errors) -> None:
    """A note belongs to a signal that counts (recorded, or added by R2)."""
    stray = sorted(code for code, note in notes.items() if note and code not in codes)
    if stray:
        errors["notes"] = [
            _("There is a note for “%(code)s”, but that alarm signal is not recorded.")
            % {"code": code}
            for code in stray
        ]


@transaction.atomic
def safety_assessment_record(
    *,
    actor: User,
    case: Case,
    child_id: int,
    alarm_signals: list[str],
    notes: dict[str, str] | None = None,
    responsible_adult_guarantees_safety: bool,
    responsible_adult: str = "",
    threatening_acts: str = "",
    child_signals: str = "",
    consequences: str = "",
    substantiation: str,
    override_decision: str = "",
    override_reason: str = "",
    review_on: dt.date | None = None,
) -> SafetyAssessment:
    """Record a (re-)assessment of one child's safety now; ValidationError (per field) and
    nothing saved otherwise. ``review_on`` is the agreed date to look again; without one, the
    knowledge base's default term (threshold ``r1.veiligheid-herzien-na-dagen``) applies."""
    notes = {code: (note or "").strip() for code, note in (notes or {}).items()}
    responsible_adult = (responsible_adult or "").strip()
    errors: Errors = {}
    child = _child_of(case, child_id, errors)
    recorded = list(dict.fromkeys(alarm_signals))
    _check_signals(recorded, errors)
    if not substantiation.strip():
        errors["substantiation"] = [
            _("The substantiation is empty: write down on what this judgement rests.")
        ]
    if responsible_adult_guarantees_safety and not responsible_adult:
        errors["responsible_adult"] = [
            _("Name the responsible adult who guarantees the child's safety now.")
        ]
    today = timezone.localdate()
    if review_on is not None and review_on < today:
        errors["review_on"] = [_("The review date lies in the past: choose today or later.")]
    if errors.get("alarm_signals") or child is None:
        raise ValidationError(errors)

    # R2: the sibling signal, from the current assessments of the other children of the case.
    forget_judging(case)
    others = {
        str(other_id): assessment.signal_codes
        for other_id, assessment in current_safety_assessments(case=case).items()
        if other_id != child.pk
    }
    signals = signals_with_siblings(str(child.pk), recorded, others)
    r1 = direct_danger(
        [code for code, _source in signals],
        responsible_adult_guarantees_safety=responsible_adult_guarantees_safety,
    )
    _check_notes({code for code, _source in signals}, notes, errors)
    problems = override_errors(
        Rule.R1,
        r1.decision,
        override_decision,
        override_reason,
        choices={value: str(label) for value, label in SafetyDecision.choices},
    )
    for part, message in problems.items():
        errors[f"override_{part}"] = [message]
    if errors:
        raise ValidationError(errors)
    override = (
        Override(Rule.R1, r1.decision, override_decision, override_reason.strip())
        if override_decision
        else None
    )
    judgement = Judgement(r1, override)

    reasons = r1.reasons_as_data()
    r2 = sibling_signal(str(child.pk), others)
    if r2 is not None:
        reasons += r2.reasons_as_data()
    record = SafetyAssessment(
        case=case,
        child=child,
        assessed_by=actor,
        alarm_signals=[
            {"code": code, "source": source, "note": notes.get(code, "")}
            for code, source in signals
        ],
        responsible_adult_guarantees_safety=responsible_adult_guarantees_safety,
        responsible_adult=responsible_adult,
        decision=judgement.outcome.decision,
        override_decision=override.decision if override else "",
        override_reason=override.reason if override else "",
        reasons=reasons,
        threatening_acts=threatening_acts.strip(),
        child_signals=child_signals.strip(),
        consequences=consequences.strip(),
        substantiation=substantiation.strip(),
        review_on=review_on or today + dt.timedelta(days=review_term_days()),
    )
    saved = save_new(actor, record)
    forget_judging(case)
    return saved


def review_term_days() -> int:
    """The default term after which a safety decision is looked at again (knowledge base)."""
    return int(knowledge_base().threshold("r1.veiligheid-herzien-na-dagen"))
