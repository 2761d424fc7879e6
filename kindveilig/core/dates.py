"""How dates are written in the UI, in every language and whatever the browser's language:
dd-mm-jjjj. Used by the format modules (``config/formats``) and the date fields of the forms
(``core.forms``); the API keeps ISO dates. Imports nothing."""

# Shown: 31-12-2025 and 31-12-2025 14:05 (Django date-format syntax).
DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "d-m-Y H:i"

# Typed: 31-12-2025 (also 1-2-2025), 31122025 (a phone's number pad has no hyphen) and, for
# robustness, ISO 2025-12-31. Never a two-digit year: 01-02-25 could be 1925 or 2025.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d%m%Y", "%Y-%m-%d"]
# The same, as an HTML pattern (surrounding spaces are allowed; the form strips them).
DATE_PATTERN = r"\s*([0-9]{1,2}-[0-9]{1,2}-[0-9]{4}|[0-9]{8}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\s*"
