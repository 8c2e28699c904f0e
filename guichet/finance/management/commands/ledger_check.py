from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guichet.finance.domain.chain import LedgerBreak
from guichet.finance.messages import BREAKS
from guichet.finance.selectors.integrity import ledger_verify


def where(broken: LedgerBreak) -> str:
    """The broken record, named as a person finds it in the books."""
    if broken.reason == "guard_missing":
        return _("guard %(name)s") % {"name": broken.year}
    if broken.sequence:
        return _(
            "entry %(journal)s nº %(number)s of the year from %(year)s "
            "(place %(place)s in the chain)"
        ) % {
            "journal": broken.journal,
            "number": broken.number,
            "year": broken.year,
            "place": broken.sequence,
        }
    if broken.journal:
        return _("journal %(journal)s, year from %(year)s") % {
            "journal": broken.journal,
            "year": broken.year,
        }
    return _("the year from %(year)s") % {"year": broken.year}


class Command(BaseCommand):
    help = (
        "Checks the ledger: the database's guards, every validated entry's balance, the "
        "numbering of each journal and year, the hash chain and the trial balance. Names the "
        "first broken record and exits with status 1 if any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = ledger_verify()
        if report.broken is not None:
            reason = str(BREAKS.get(report.broken.reason, report.broken.reason))
            raise CommandError(
                _("Ledger broken at %(where)s: %(reason)s.")
                % {"where": where(report.broken), "reason": reason}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Ledger intact: %(entries)s validated entries, %(postings)s postings.")
                % {"entries": report.entries, "postings": report.postings}
            )
        )
