"""API v1 of judging: causes."""

from ninja import Router

router = Router(tags=["assessment"])
