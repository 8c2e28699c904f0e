"""Delivered days and invoices, recorded by the members' managers (or coordinators)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.missions.domain import workflow
from guichet.missions.domain.delivery import delivered_days_refusal, month_start
from guichet.missions.models import (
    DeliveredDays,
    Invoice,
    InvoiceStatus,
    MissionMember,
    MissionStatus,
)
from guichet.missions.services.common import MissionError, event_add

# Days are logged while the work goes on, and corrected until the mission closes.
DAYS_OPEN = frozenset({MissionStatus.RUNNING, MissionStatus.DELIVERED, MissionStatus.EVALUATED})


def days_record(*, member: MissionMember, month: date, days: Decimal, by: Any) -> DeliveredDays:
    """Record (or correct) the days the member delivered in `month`."""
    if member.mission.status not in DAYS_OPEN:
        raise MissionError("days_not_open")
    month = month_start(month)
    refusal = delivered_days_refusal(
        days=days,
        month=month,
        today=timezone.localdate(),
        monthly_maximum=Decimal(settings.GUICHET_MISSION_MAX_DAYS_PER_MONTH),
    )
    if refusal is not None:
        raise MissionError(refusal.code)
    with transaction.atomic():
        record, _ = DeliveredDays.objects.update_or_create(
            member=member, month=month, defaults={"days": days, "recorded_by": by}
        )
        event_add(
            mission=member.mission,
            kind="days",
            by=by,
            organisation=member.organisation.name,
            month=month.isoformat(),
            days=str(days),
        )
    return record


def invoice_add(
    *,
    member: MissionMember,
    number: str,
    issued_on: date,
    amount_excl_tax: Decimal,
    vat_rate: Decimal,
    by: Any,
) -> Invoice:
    """Record an invoice the member issued for the mission (numbers unique per member)."""
    if member.mission.status in workflow.ENDED - {workflow.CLOSED} or (
        member.mission.status == MissionStatus.PLANNED
    ):
        raise MissionError("invoices_not_open")
    if amount_excl_tax <= 0:
        raise MissionError("amount_not_positive")
    if not Decimal(0) <= vat_rate <= Decimal(100):
        raise MissionError("vat_out_of_range")
    number = number.strip()
    if not number:
        raise MissionError("invoice_number_missing")
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                member=member,
                number=number,
                issued_on=issued_on,
                amount_excl_tax=amount_excl_tax.quantize(Decimal("0.01")),
                vat_rate=vat_rate.quantize(Decimal("0.01")),
                created_by=by,
            )
            event_add(
                mission=member.mission,
                kind="invoice",
                by=by,
                organisation=member.organisation.name,
                number=number,
            )
            audit_record(
                action="invoice.add",
                actor=by,
                target=invoice,
                data={"amount_excl_tax": str(invoice.amount_excl_tax), "member": member.pk},
            )
    except IntegrityError as error:
        raise MissionError("invoice_number_taken") from error
    return invoice


def invoice_status_set(*, invoice: Invoice, status: str, by: Any) -> Invoice:
    """Mark an invoice paid or cancelled; a cancelled invoice stays cancelled."""
    if status not in InvoiceStatus.values:
        raise MissionError("invoice_status_unknown")
    if invoice.status == InvoiceStatus.CANCELLED:
        raise MissionError("invoice_cancelled")
    with transaction.atomic():
        previous = invoice.status
        invoice.status = status
        invoice.save(update_fields=["status"])
        audit_record(
            action="invoice.status",
            actor=by,
            target=invoice,
            data={"from": previous, "to": status},
        )
    return invoice


def planned_and_delivered(members: list[MissionMember]) -> dict[int, Decimal]:
    """Days delivered so far per member id (members prefetched with delivered_days)."""
    return {
        member.pk: sum((row.days for row in member.delivered_days.all()), Decimal(0))
        for member in members
    }
