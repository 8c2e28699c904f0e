"""What the missions' services refuse, said to people: one translated message per code.

The evaluation and contribution pages keep their own sentences (messages_*.py); this module
gathers them all so that every view asks one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guichet.missions import messages_contributions, messages_evaluations

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    "lot_has_mission": _("One of these lots already has a mission."),
    "consortium_has_mission": _("This consortium already has its mission."),
    "consortium_without_lead": _("The consortium has no lead yet: choose one first."),
    "consortium_without_lots": _("No lot is assigned to the consortium's members yet."),
    "provider_not_chosen": _("The client has not chosen this provider."),
    "nothing_to_start": _("Nothing is ready to start: the client has chosen no provider yet."),
    "status_unknown": _("This status does not exist."),
    "mission_ended": _("This mission is closed or cancelled: nothing can be changed any more."),
    "move_not_allowed": _("The mission cannot go to this status from the one it has."),
    "close_needs_contribution": _(
        "This mission includes development work: it closes only once an upstream contribution "
        "is logged, or a justification for giving nothing back is approved by a coordinator."
    ),
    "end_before_start": _("The planned end comes before the start."),
    "days_not_open": _("Delivered days are recorded once the mission runs, until it closes."),
    "days_negative": _("Delivered days cannot be negative."),
    "days_over_maximum": _(
        "That is more days than one organisation can deliver in a month on one mission "
        "(%(max)s at most)."
    ),
    "month_in_future": _("This month has not come yet: record days once they are delivered."),
    "invoices_not_open": _("Invoices are recorded once the mission runs."),
    "amount_not_positive": _("The amount must be more than zero."),
    "vat_out_of_range": _("The VAT rate goes from 0 to 100 %."),
    "invoice_number_missing": _("Give the invoice's number."),
    "invoice_number_taken": _("This organisation already recorded an invoice with this number."),
    "invoice_status_unknown": _("This invoice status does not exist."),
    "invoice_cancelled": _("A cancelled invoice cannot change any more."),
}
UNKNOWN = _("This step cannot be done.")
ALL: dict[str, StrPromise] = {
    **MESSAGES,
    **messages_contributions.MESSAGES,
    **messages_evaluations.MESSAGES,
}
PARAMS: dict[str, dict[str, Any]] = {
    **messages_contributions.PARAMS,
    **messages_evaluations.PARAMS,
}


def error_message(code: str, **params: Any) -> str:
    """The translated sentence for any missions error code, in the active language; the
    limits a sentence names are filled in here."""
    message = str(ALL.get(code, UNKNOWN))
    defaults = {"days_over_maximum": {"max": settings.GUICHET_MISSION_MAX_DAYS_PER_MONTH}}
    params = {**defaults.get(code, {}), **PARAMS.get(code, {}), **params}
    return message % params if "%(" in message else message
