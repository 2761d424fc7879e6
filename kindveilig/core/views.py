"""Pages about Kindveilig itself, open to everyone (also before logging in): what it keeps and
who sees it (privacy), and how to log in and whom to ask (help)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    context = {"break_glass_hours": settings.KINDVEILIG_BREAK_GLASS_HOURS}
    return render(request, "core/privacy.html", context)


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    context = {
        "idle_minutes": settings.KINDVEILIG_IDLE_TIMEOUT_MINUTES,
        "one_time_password_hours": settings.KINDVEILIG_ONE_TIME_PASSWORD_HOURS,
    }
    return render(request, "core/help.html", context)
