import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from guichet.finance.domain.fec import fec_filename
from guichet.finance.messages import error_message
from guichet.finance.selectors.fec import fec_lines, fiscal_years_ending_in
from guichet.network.domain.identifiers import IdentifierError, validate_siren


class Command(BaseCommand):
    help = (
        "Writes the Fichier des Écritures Comptables (FEC) of the fiscal year ending in YEAR: "
        "<SIREN>FEC<last day>.txt in DIR (the current folder by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="YYYY: the year it ends in")
        parser.add_argument("--output", default=".", help="the folder to write the file in")

    def handle(self, *args: Any, year: int, output: str, **options: Any) -> None:
        siren = _cooperative_siren()
        found = fiscal_years_ending_in(year)
        if not found:
            raise CommandError(error_message("year_not_found", year=year))
        if len(found) > 1:
            raise CommandError(error_message("year_ambiguous", year=year))
        folder = Path(output)
        if not folder.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": folder})
        target = folder / fec_filename(siren, found[0].ends_on)
        # Written beside its name, then renamed: a failed export leaves no half a file.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".fec-", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                lines = 0
                for line in fec_lines(year=found[0]):
                    stream.write(line)
                    lines += 1
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            self.style.SUCCESS(
                _("%(path)s written: %(count)s postings.") % {"path": target, "count": lines - 1}
            )
        )


def _cooperative_siren() -> str:
    raw = getattr(settings, "GUICHET_COOPERATIVE_SIREN", "")
    if not raw:
        raise CommandError(error_message("siren_missing"))
    try:
        return validate_siren(raw)
    except IdentifierError as error:
        raise CommandError(error_message("siren_invalid")) from error
