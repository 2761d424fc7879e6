"""API v1 of judging: risk."""

from ninja import Router

router = Router(tags=["assessment"])
