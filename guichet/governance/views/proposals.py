"""PLACEHOLDER — the associates' proposal pages (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


proposals_list = proposal_new = proposal_detail = proposal_amend = _todo
version_detail = attachment_download = _todo
