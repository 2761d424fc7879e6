"""Dutch: dates as 31-12-2025, date and time as 31-12-2025 14:05 (``kindveilig.core.dates``)."""

from kindveilig.core.dates import DATE_FORMAT, DATE_INPUT_FORMATS, DATETIME_FORMAT

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "DATE_INPUT_FORMATS",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
]
