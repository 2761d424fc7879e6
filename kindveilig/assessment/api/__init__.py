"""Judging's endpoints of API v1, one router per part, mounted together."""

from ninja import Router

from kindveilig.assessment.api import causes, risk, safety

router = Router()
router.add_router("", safety.router)
router.add_router("", risk.router)
router.add_router("", causes.router)
