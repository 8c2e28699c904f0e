"""The software catalogue: list, search, and who knows each software."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from guichet.network.models import Sector, Software
from guichet.network.selectors import software_links_public, software_listed
from guichet.network.selectors_profile import software_suggestions

PAGE_SIZE = 30


@require_safe
def software_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("secteur", "").strip()[:120]
    found = software_listed()
    if text:
        found = found.filter(
            Q(name__icontains=text) | Q(function__icontains=text) | Q(description__icontains=text)
        )
    if sector:
        found = found.filter(component__sector__slug=sector)
    page = Paginator(found.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "q": text,
        "sector": sector,
        "sectors": Sector.objects.order_by("name"),
        "base_query": params.urlencode(),
        # Nothing found for "Libre Office": offer LibreOffice.
        "suggestions": software_suggestions(text) if text and not page.object_list else [],
    }
    return render(request, "network/software_list.html", context)


@require_safe
def software_detail(request: HttpRequest, slug: str) -> HttpResponse:
    software = get_object_or_404(Software.objects.select_related("component__sector"), slug=slug)
    if software.merged_into is not None:
        # A merged entry's address keeps working: it leads to the entry that replaced it.
        return redirect("network:software", software.merged_into.slug, permanent=True)
    context = {"software": software, "links": software_links_public(software)}
    return render(request, "network/software_detail.html", context)
