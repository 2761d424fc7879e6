"""API v1 of judging: safety."""

from ninja import Router

router = Router(tags=["assessment"])
