"""A consortium seen by the people of its organisations (reached from their proposal page).

Everyone of an organisation in the consortium sees it, with days, day rates and totals;
anyone else finds no page (404). The lead's managers may hand the lead over to a
co-contractor; each contractor's managers may add and remove their own subcontractors. Who
sees the page but may not do the action is refused (403). After a tender's bid deadline the
consortium is frozen: the forms are gone and what is still posted is refused with a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guichet.needs.access import consortia_of_person, is_manager_of
from guichet.needs.forms_consortium import SubcontractorForm
from guichet.needs.messages import message_for
from guichet.needs.models import Consortium, ConsortiumMember, ConsortiumRole
from guichet.needs.selectors_consortia import ConsortiumLayout, consortium_layout
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_is_frozen,
    consortium_lead_hand_over,
)
from guichet.needs.views.consortium import (
    decorate,
    money,
    subcontractor_add,
    subcontractor_added,
    subcontractor_form,
    subcontractor_removed,
)
from guichet.network.models import Membership


@dataclass(frozen=True)
class Standing:
    """What the person is in this consortium: the organisations they belong to, and those
    they manage (each a set of organisation ids)."""

    mine: frozenset[int]
    managed: frozenset[int]

    def manages(self, member: ConsortiumMember | None) -> bool:
        return member is not None and member.organisation_id in self.managed


def _consortium(http: HttpRequest, pk: int) -> Consortium:
    return get_object_or_404(consortia_of_person(http.user).select_related("request"), pk=pk)


def _standing(http: HttpRequest, layout: ConsortiumLayout) -> Standing:
    rows = Membership.objects.filter(
        person_id=http.user.pk, organisation_id__in=[m.organisation_id for m in layout.members]
    ).values_list("organisation_id", "is_manager")
    return Standing(
        mine=frozenset(org for org, _manager in rows),
        managed=frozenset(org for org, manager in rows if manager),
    )


def _managed_contractors(layout: ConsortiumLayout, standing: Standing) -> list[ConsortiumMember]:
    return [share.member for share in layout.contractors if standing.manages(share.member)]


def _decorate(
    consortium: Consortium, layout: ConsortiumLayout, standing: Standing, frozen: bool
) -> None:
    hands_over = not frozen and standing.manages(layout.lead)
    contractors = {share.member.pk: share.member for share in layout.contractors}

    def lead_url(member: ConsortiumMember) -> str | None:
        if not hands_over or member.role != ConsortiumRole.CO_CONTRACTOR:
            return None
        return reverse("needs:member_consortium_lead", args=[consortium.pk, member.pk])

    def remove_url(member: ConsortiumMember) -> str | None:
        if frozen or not standing.manages(contractors.get(member.contractor_id or 0)):
            return None
        return reverse(
            "needs:member_consortium_subcontractor_remove", args=[consortium.pk, member.pk]
        )

    decorate(
        layout,
        lead_url=lead_url,
        lead_label=_("Hand the lead over to %(name)s"),
        remove_url=remove_url,
    )
    for member in layout.members:
        member.mine = member.organisation_id in standing.mine  # type: ignore[attr-defined]


def _page(
    http: HttpRequest,
    consortium: Consortium,
    *,
    sub_form: SubcontractorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    frozen = consortium_is_frozen(consortium)
    layout = consortium_layout(consortium)
    standing = _standing(http, layout)
    _decorate(consortium, layout, standing, frozen)
    contractors = _managed_contractors(layout, standing)
    may_hand_over = not frozen and standing.manages(layout.lead)
    context = {
        "req": consortium.request,
        "consortium": consortium,
        "layout": layout,
        "lead": layout.lead,
        "total": money(layout.total),
        "frozen": frozen,
        "may_hand_over": may_hand_over,
        "has_co_contractors": len(layout.contractors) > 1,
        "actions": may_hand_over or (not frozen and bool(contractors)),
        "sub_form": None
        if frozen or not contractors
        else sub_form or subcontractor_form(layout, contractors),
        "sub_url": reverse("needs:member_consortium_subcontractor_add", args=[consortium.pk]),
        "form": sub_form,
    }
    return render(http, "needs/member/consortium.html", context, status=status)


@require_safe
@login_required
def page(http: HttpRequest, pk: int) -> HttpResponse:
    return _page(http, _consortium(http, pk))


def _refuse_frozen(http: HttpRequest, consortium: Consortium) -> HttpResponse | None:
    if consortium_is_frozen(consortium):
        messages.error(http, message_for("consortium_frozen"))
        return redirect("needs:member_consortium", consortium.pk)
    return None


def _member(consortium: Consortium, member: int) -> ConsortiumMember:
    return get_object_or_404(
        consortium.members.select_related("organisation", "contractor__organisation"),
        pk=member,
    )


@require_POST
@login_required
def hand_over(http: HttpRequest, pk: int, member: int) -> HttpResponse:
    consortium = _consortium(http, pk)
    item = _member(consortium, member)
    if refused := _refuse_frozen(http, consortium):
        return refused
    lead = consortium.members.filter(role=ConsortiumRole.LEAD).first()
    if lead is None or not is_manager_of(http.user, lead.organisation_id):
        return HttpResponse(status=403)
    try:
        consortium_lead_hand_over(consortium=consortium, to=item.organisation, by=http.user)
    except ConsortiumError as error:
        messages.error(http, message_for(error.code))
    else:
        messages.success(
            http,
            _("%(organisation)s is now the lead (mandataire): the other members are told.")
            % {"organisation": item.organisation.name},
        )
    return redirect("needs:member_consortium", pk)


@require_POST
@login_required
def subcontractor_new(http: HttpRequest, pk: int) -> HttpResponse:
    consortium = _consortium(http, pk)
    if refused := _refuse_frozen(http, consortium):
        return refused
    layout = consortium_layout(consortium)
    contractors = _managed_contractors(layout, _standing(http, layout))
    if not contractors:
        return HttpResponse(status=403)
    form = subcontractor_form(layout, contractors, http.POST)
    added = subcontractor_add(form, consortium, layout, http.user)
    if added is None:
        return _page(http, consortium, sub_form=form, status=400)
    return subcontractor_added(http, added, "needs:member_consortium", pk)


@require_POST
@login_required
def subcontractor_delete(http: HttpRequest, pk: int, member: int) -> HttpResponse:
    consortium = _consortium(http, pk)
    item = _member(consortium, member)
    if refused := _refuse_frozen(http, consortium):
        return refused
    contractor = item.contractor
    if contractor is None or not is_manager_of(http.user, contractor.organisation_id):
        return HttpResponse(status=403)
    return subcontractor_removed(http, item, "needs:member_consortium", pk)
