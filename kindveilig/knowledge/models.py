"""Storing a knowledge item in a record: its code plus the knowledge-base version.

A record keeps the code and the version it was made with, so a later change to the knowledge
base never rewrites what was recorded (PRODUCT §6): the label shown for an old record can be
looked up in the version it names, and a code that was later removed still reads as itself.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import Entry


def current_knowledge_version() -> str:
    return knowledge_base().version


class KnowledgeItemRecord(models.Model):
    """Abstract base for records that store one item of a knowledge-base list.

    Subclasses set ``knowledge_list`` to the list name (e.g. ``"maltreatment_forms"``).
    """

    knowledge_list: ClassVar[str]

    knowledge_code = models.CharField(_("knowledge-base code"), max_length=120)
    knowledge_version = models.CharField(
        _("knowledge-base version"), max_length=20, default=current_knowledge_version
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.knowledge_code not in knowledge_base()[self.knowledge_list]:
            raise ValidationError(
                {"knowledge_code": _("This item does not exist in the knowledge base.")}
            )

    def knowledge_entry(self) -> Entry | None:
        """The entry in the current knowledge base, or None when it no longer exists."""
        kb = knowledge_base()
        if self.knowledge_code in kb[self.knowledge_list]:
            return kb[self.knowledge_list].get(self.knowledge_code)
        return None
