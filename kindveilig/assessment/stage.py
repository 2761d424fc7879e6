"""Judging's place in the case workspace: the stage "Beoordeling" in the navigation, how far it
is, and the next steps it asks for."""

from __future__ import annotations


def register() -> None:
    """Registered once the overview page exists (see ``views.overview``)."""
