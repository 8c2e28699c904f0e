"""Downloads of the open data."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from guichet.network import exports

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@require_safe
def export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in exports.DATASETS or fmt not in CONTENT_TYPES:
        raise Http404
    base_url = request.build_absolute_uri("/").rstrip("/")
    body: str | bytes
    if fmt == "csv":
        body = exports.as_csv(dataset, base_url)
    elif fmt == "json":
        body = exports.as_json(dataset, base_url)
    else:
        body = exports.as_ods(dataset, base_url)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"guichet-{dataset}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{exports.LICENCE_URL}>; rel="license"'
    return response
