"""Auxiliary accounts, made the first time a client, supplier or upstream project is booked."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from guichet.accounts.models import User
from guichet.core.audit import audit_record
from guichet.finance.domain.chart import auxiliary_code
from guichet.finance.messages import FinanceError
from guichet.finance.models import Account, AuxiliaryAccount, AuxiliaryKind
from guichet.network.models import Organisation, Software

# The collective account each kind of auxiliary account belongs to (docs/finance/chart.md).
COLLECTIVE_ACCOUNTS = {
    AuxiliaryKind.CLIENT: "411",
    AuxiliaryKind.SUPPLIER: "401",
    AuxiliaryKind.UPSTREAM_PROJECT: "4671",
}


def auxiliary_account_for(
    *,
    kind: AuxiliaryKind,
    by: User | None,
    organisation: Organisation | None = None,
    software: Software | None = None,
) -> AuxiliaryAccount:
    """The auxiliary account of this client or supplier (an organisation) or upstream
    project (a software), made the first time it is asked for; the same one afterwards."""
    holder = software if kind == AuxiliaryKind.UPSTREAM_PROJECT else organisation
    other = organisation if kind == AuxiliaryKind.UPSTREAM_PROJECT else software
    if holder is None or holder.pk is None or other is not None:
        raise FinanceError("auxiliary_holder_required")
    account = Account.objects.get(number=COLLECTIVE_ACCOUNTS[kind])
    field = "software" if kind == AuxiliaryKind.UPSTREAM_PROJECT else "organisation"
    found = AuxiliaryAccount.objects.filter(account=account, **{field: holder}).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = AuxiliaryAccount.objects.create(
                account=account,
                kind=kind,
                code=auxiliary_code(kind, holder.pk),
                name=holder.name[:200],
                **{field: holder},
            )
            audit_record(
                action="finance.auxiliary.create",
                actor=by,
                target=created,
                data={"code": created.code, field: holder.pk},
            )
    except IntegrityError:
        # Made at the same moment by another request: theirs is the one.
        return AuxiliaryAccount.objects.get(account=account, **{field: holder})
    return created
