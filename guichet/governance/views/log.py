"""PLACEHOLDER — the public decision log (being written)."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


log_list = how_we_decide = export_csv = export_ods = log_entry = _todo


class RssFeed(Feed):  # type: ignore[type-arg]
    def items(self):  # type: ignore[no-untyped-def]
        raise Http404


class AtomFeed(RssFeed):
    pass
