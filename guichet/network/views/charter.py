"""The charter, public: the current version and the ones before, with who signed them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from guichet.network.models import Charter
from guichet.network.services.charter import current_charter


@require_safe
def charter(request: HttpRequest, version: int | None = None) -> HttpResponse:
    current = current_charter()
    if version is None:
        if current is None:
            raise Http404
        shown = current
    else:
        shown = get_object_or_404(Charter, version=version, published_at__isnull=False)
    context = {
        "charter": shown,
        "is_current": current is not None and shown.pk == current.pk,
        "values": shown.values.order_by("position"),
        "signatures": shown.signatures.filter(organisation__is_member=True)
        .select_related("organisation")
        .order_by("organisation__name"),
        "versions": Charter.objects.filter(published_at__isnull=False).order_by("-version"),
    }
    return render(request, "network/charter.html", context)
