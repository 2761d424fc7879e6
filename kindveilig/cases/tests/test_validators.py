import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kindveilig.cases.validators import bsn_is_valid, validate_bsn, validate_not_in_future


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990"])
def test_valid_bsns_pass_the_11_proef(bsn: str) -> None:
    assert bsn_is_valid(bsn)


@pytest.mark.parametrize(
    "bsn", ["123456789", "111222334", "12345678", "1234567890", "abcdefghi", "000000000", ""]
)
def test_invalid_bsns_fail(bsn: str) -> None:
    assert not bsn_is_valid(bsn)


def test_invalid_bsn_error_names_the_11_proef() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_bsn("123456789")
    assert "11-proef" in str(excinfo.value)


def test_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError):
        validate_not_in_future(timezone.localdate() + dt.timedelta(days=2))
    validate_not_in_future(timezone.localdate() - dt.timedelta(days=1))
