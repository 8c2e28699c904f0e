"""Open data files, the same for every app that publishes some: the licence they are
published under, CSV text and an ODS spreadsheet with a second sheet stating the licence.

Moved here from network/exports.py so that apps below the network (governance) publish
theirs under the same licence and in the same shape.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import timezone
from odfdo import Document, Table

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab-2.0)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def licence_metadata(dataset: str, **extra: str) -> dict[str, str]:
    """What a file says of itself: its name, its licence, when it was made (and `extra`)."""
    return {
        "dataset": dataset,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        **{key: value for key, value in extra.items() if value},
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula (a title typed as "=HYPERLINK(…)")
    is kept as text, behind an apostrophe; numbers and other texts are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if value[:1] == "-" and value[1:].replace(".", "", 1).replace(",", "", 1).isdigit():
            return value  # a negative number written as text
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header line, then one line per row (the columns in order), formulas defused."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: csv_safe(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def ods_bytes(
    name: str,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    metadata: Mapping[str, str],
) -> bytes:
    """A spreadsheet: the data in a sheet called `name`, the metadata in a sheet "licence"."""
    document = Document("spreadsheet")
    document.body.clear()
    table = Table(name)
    table.set_values([list(columns)] + [[row[c] for c in columns] for row in rows])
    document.body.append(table)
    licence = Table("licence")
    licence.set_values([[key, value] for key, value in metadata.items()])
    document.body.append(licence)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
