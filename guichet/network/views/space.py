"""An organisation's private space, open to its people and to coordinators."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from guichet.network.access import can_manage, organisations_visible_privately
from guichet.network.views.admission import space_context


@require_safe
@login_required
def organisation_space(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(organisations_visible_privately(request.user), slug=slug)
    memberships = organisation.memberships.select_related("person").order_by(
        "-is_manager", "person__full_name"
    )
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "can_manage": can_manage(request.user, organisation),
        **space_context(request.user, organisation),
    }
    return render(request, "network/organisation_space.html", context)
