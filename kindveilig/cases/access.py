"""The one door to case-scoped data.

Views, API endpoints, exports and jobs obtain a case only through these functions. A user who
may not see a case gets Http404, exactly as if the case did not exist, so that the existence of
a family's dossier is not disclosed (PRODUCT §7).
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kindveilig.accounts.models import User
from kindveilig.cases.models import Case, CaseMember


class Purpose(enum.StrEnum):
    """Why a case is accessed; recorded with the access (the audit log builds on this)."""

    READ = "read"
    UPDATE = "update"


def user_is_case_member(user: User | AnonymousUser, case_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return CaseMember.objects.current().filter(case_id=case_id, user_id=user.pk).exists()


def access_case(user: User | AnonymousUser, case_id: int, *, purpose: Purpose) -> Case:
    """The case ``case_id`` if ``user`` is a current member of it; Http404 otherwise.

    Organisation-wide roles (team lead, admin, auditor) give no access to case content.
    """
    if not user_is_case_member(user, case_id):
        raise Http404
    try:
        return Case.objects.get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
