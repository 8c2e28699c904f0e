"""Which catalogue name a person meant by what they typed ("Libre Office": LibreOffice).

Names are compared without case, accents, spaces, hyphens or other punctuation; when none is
equal so, the closest in spelling are offered (difflib's similarity ratio).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

# How alike two names must be to be offered (difflib's ratio, 0 to 1): "Nextclod" is
# Nextcloud (0.94), "Moodl" Moodle (0.91); "Libre" is not LibreOffice (0.63).
CLOSE_ENOUGH = 0.8
SUGGESTIONS = 3


def name_key(name: str) -> str:
    """A name as compared: letters and digits only, lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def closest_names(text: str, names: Iterable[str], limit: int = SUGGESTIONS) -> list[str]:
    """The names a person most likely meant by `text`, best first, `limit` at most: those
    equal to it once normalised, else those close enough in spelling."""
    wanted = name_key(text)
    if not wanted:
        return []
    by_key: dict[str, list[str]] = {}
    for name in names:
        spellings = by_key.setdefault(name_key(name), [])
        if name not in spellings:
            spellings.append(name)
    by_key.pop("", None)
    if wanted in by_key:
        return by_key[wanted][:limit]
    close = difflib.get_close_matches(wanted, list(by_key), n=limit, cutoff=CLOSE_ENOUGH)
    return [by_key[key][0] for key in close]
