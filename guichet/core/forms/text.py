"""Text areas that give back the line ends they were given.

Browsers send the lines of a text area joined by CR LF, whatever the text held; text written
elsewhere (the API, the demo, an import) has LF. Saving a form without touching it would
otherwise rewrite every line end of such a text: a "changed" text where nothing changed (an
amendment that is not one, a statement re-signed by whoever saved). Every text area of the
project normalises to LF.
"""

from __future__ import annotations

from typing import Any

from django import forms


def lf_line_ends(text: str) -> str:
    """`text` with its lines ended by LF, as sent by a text area written without a form class."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Textarea(forms.Textarea):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return lf_line_ends(value) if isinstance(value, str) else value
