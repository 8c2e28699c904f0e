"""The consortium's response document, as OpenDocument text (ODT).

What a client or a buyer reads: the request, the consortium (kind, lead and co-contractors
with their lots, days, day rates and total; then, separately, each contractor's
subcontractors, whose amounts are included in that contractor's share), each lot with the
members' public evidence on its software, and the commitments of the network's charter.
Written in the active language; amounts are exact decimals, excluding tax.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from odfdo import Document, Element, Header, List, Paragraph, Table

from guichet.needs.models import Consortium, ConsortiumMember
from guichet.needs.selectors_consortia import ContractorShare, consortium_layout
from guichet.network.models import SoftwareLink
from guichet.network.services.charter import current_charter


def _money(amount: Decimal) -> str:
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def _days(amount: Decimal) -> str:
    return str(formats.number_format(amount, 1, use_l10n=True))


def _date(value: date | datetime | None) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT")) if value else "—"


def _lots(member: ConsortiumMember) -> str:
    return ", ".join(str(lot.position) for lot in member.lots.all()) or "—"


def _contractor_rows(
    contractors: list[ContractorShare], total_days: Decimal, total: Decimal
) -> list[list[str]]:
    """The lead and the co-contractors, and the consortium's total (theirs only)."""
    rows: list[list[str]] = [
        [
            _("Organisation"),
            _("SIREN"),
            _("Role"),
            _("Lots"),
            _("Person-days"),
            _("Day rate excl. tax"),
            _("Total excl. tax"),
        ]
    ]
    for share in contractors:
        member = share.member
        rows.append(
            [
                member.organisation.name,
                member.organisation.siren or "—",
                member.get_role_display(),
                _lots(member),
                _days(member.person_days),
                _money(member.day_rate),
                _money(member.total),
            ]
        )
    rows.append([_("Total"), "", "", "", _days(total_days), "", _money(total)])
    return rows


def _subcontractor_rows(subcontractors: list[ConsortiumMember]) -> list[list[str]]:
    rows: list[list[str]] = [
        [
            _("Subcontractor"),
            _("SIREN"),
            _("Lots"),
            _("Person-days"),
            _("Day rate excl. tax"),
            _("Amount excl. tax"),
        ]
    ]
    for member in subcontractors:
        rows.append(
            [
                member.organisation.name,
                member.organisation.siren or "—",
                _lots(member),
                _days(member.person_days),
                _money(member.day_rate),
                _money(member.total),
            ]
        )
    return rows


def _append_subcontractors(
    body: Element, contractors: list[ContractorShare], unattached: list[ConsortiumMember]
) -> None:
    """Each contractor's subcontractors under its name, said to be inside its share: a buyer
    must not add them to the total."""
    shares = [share for share in contractors if share.subcontractors]
    if not shares and not unattached:
        return
    body.append(Header(2, _("Subcontractors")))
    body.append(
        Paragraph(
            _(
                "Subcontractors' amounts are included in the share of the contractor they work "
                "for: they are not added to the consortium's total."
            )
        )
    )
    for share in shares:
        name = share.member.organisation.name
        body.append(Header(3, _("Subcontracted by %(name)s") % {"name": name}))
        table = Table(_("Subcontractors of %(name)s") % {"name": name})
        table.set_values(_subcontractor_rows(share.subcontractors))
        body.append(table)
        body.append(
            Paragraph(
                _("%(amount)s in all, included in the share of %(name)s (%(share)s).")
                % {
                    "amount": _money(share.subcontracted),
                    "name": name,
                    "share": _money(share.member.total),
                }
            )
        )
    if unattached:
        body.append(Header(3, _("Other subcontractors")))
        table = Table(_("Other subcontractors"))
        table.set_values(_subcontractor_rows(unattached))
        body.append(table)


def response_document(consortium: Consortium) -> bytes:
    """The ODT file, as bytes."""
    request = consortium.request
    layout = consortium_layout(consortium)
    members: list[ConsortiumMember] = layout.members
    lots = list(request.lots.prefetch_related("software").order_by("position"))
    links = (
        SoftwareLink.objects.filter(
            organisation__in=[member.organisation_id for member in members],
            software__in={software.pk for lot in lots for software in lot.software.all()},
        )
        .select_related("software")
        .prefetch_related("evidence")
        .order_by("software__name", "role")
    )

    document = Document("text")
    document.body.clear()
    title = _("Response of the consortium: %(title)s") % {"title": request.title}
    document.meta.title = title
    body = document.body
    body.append(Header(1, title))
    body.append(Paragraph(_("Request %(reference)s") % {"reference": request.reference}))

    body.append(Header(2, _("The request")))
    facts = [
        _("Client: %(name)s") % {"name": request.client_name},
        _("Place: %(place)s") % {"place": request.commune.name},
        _("Desired dates: %(start)s to %(end)s")
        % {"start": _date(request.start_date), "end": _date(request.end_date)},
    ]
    if request.is_tender:
        facts.append(
            _("Public tender %(reference)s, bids due %(deadline)s")
            % {"reference": request.tender_reference, "deadline": _date(request.tender_deadline)}
        )
    body.append(List(facts))
    body.append(Paragraph(request.description))

    body.append(Header(2, _("The consortium")))
    body.append(
        Paragraph(
            _("Kind: %(kind)s. Lead (mandataire): %(lead)s.")
            % {
                "kind": consortium.get_kind_display(),
                "lead": layout.lead.organisation.name if layout.lead else "—",
            }
        )
    )
    table = Table(_("Consortium"))
    table.set_values(_contractor_rows(layout.contractors, layout.total_days, layout.total))
    body.append(table)
    _append_subcontractors(body, layout.contractors, layout.unattached)

    body.append(Header(2, _("Lots")))
    for lot in lots:
        body.append(Header(3, str(lot)))
        if lot.description:
            body.append(Paragraph(lot.description))
        software = [item.name for item in lot.software.all()]
        lot_facts = [
            _("Software: %(names)s") % {"names": ", ".join(software) or "—"},
            _("Estimated person-days: %(days)s") % {"days": _days(lot.person_days)},
            _("On site") if lot.on_site else _("Remote"),
            _("Deadline: %(date)s") % {"date": _date(lot.deadline)},
        ]
        takers = [
            share.member.organisation.name
            for share in layout.contractors
            if lot in share.member.lots.all()
        ]
        lot_facts.append(_("Taken by: %(names)s") % {"names": ", ".join(takers) or "—"})
        body.append(List(lot_facts))
        evidence = []
        for link in links:
            if link.software.name not in software or link.organisation_id not in {
                m.organisation_id for m in members if lot in m.lots.all()
            }:
                continue
            urls = ", ".join(item.url for item in link.evidence.all())
            line = _("%(organisation)s: %(role)s of %(software)s") % {
                "organisation": next(
                    m.organisation.name
                    for m in members
                    if m.organisation_id == link.organisation_id
                ),
                "role": link.get_role_display(),
                "software": link.software.name,
            }
            evidence.append(f"{line} ({urls})" if urls else line)
        if evidence:
            body.append(Paragraph(_("Evidence on the lot's software:")))
            body.append(List(evidence))

    charter = current_charter()
    if charter is not None:
        body.append(Header(2, _("Our commitments")))
        body.append(
            Paragraph(
                _("The network's members signed version %(version)s of its charter:")
                % {"version": charter.version}
            )
        )
        for value in charter.values.order_by("position"):
            body.append(Header(3, value.localized_title))
            body.append(Paragraph(value.localized_text))

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
