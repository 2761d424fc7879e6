"""The product's URLs plus two bare views: the framework's own speed on this server, the
yardstick of the throughput benchmark (same server, same middleware, no work)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as product_urls

BARE_TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html lang='nl'><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>"
)


def bare_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_TEMPLATE.render({"title": "Kaal", "text": "Een kale pagina."}))


def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"id": 1, "name": "kaal"})


urlpatterns = [
    path("bench/bare/", bare_page),
    path("bench/bare.json", bare_json),
    *product_urls,
]
