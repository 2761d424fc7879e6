"""What every page shows about Kindveilig itself (the footer's version)."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

from django.http import HttpRequest


@functools.cache
def kindveilig_version() -> str:
    """The installed version of Kindveilig (``pyproject.toml``), read once per process."""
    try:
        return version("kindveilig")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def site(request: HttpRequest) -> dict[str, str]:
    return {"kindveilig_version": kindveilig_version()}
