"""PLACEHOLDER — the proxies page (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def proxies_page(request: HttpRequest) -> HttpResponse:
    raise Http404
