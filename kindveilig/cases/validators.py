"""Validators for personal data at the boundary; messages are translated."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def bsn_is_valid(value: str) -> bool:
    """The 11-proef for a Dutch citizen service number (BSN): 9 digits, weighted sum % 11 == 0.

    Weights are 9, 8, ..., 2 for the first eight digits and -1 for the last one.
    """
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(digit) * weight for digit, weight in zip(value, weights, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if not bsn_is_valid(value):
        raise ValidationError(
            _("This is not a valid BSN: it must be 9 digits and pass the 11-proef."),
            code="invalid_bsn",
        )


EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def validate_not_in_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(
            _("The date of birth cannot be in the future."), code="date_in_future"
        )
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("This date of birth is not plausible: check the year."), code="date_implausible"
        )
