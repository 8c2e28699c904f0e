"""SPDX licence expressions, checked for their shape (not against the full SPDX list).

A catalogue entry names its licence as an SPDX identifier (`AGPL-3.0-or-later`) or an
expression (`MIT OR Apache-2.0`, `GPL-2.0-only WITH Classpath-exception-2.0`,
`(MIT OR Apache-2.0) AND BSD-3-Clause`). The SPDX list grows every year; checking the shape
refuses free prose ("GPL V2.0", "MPL 2.0 et EPL 1.0") without refusing a new identifier.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9][A-Za-z0-9.\-]*\+?|\S)")
_IDENTIFIER = re.compile(r"^(LicenseRef-[A-Za-z0-9.\-]+|[A-Za-z0-9][A-Za-z0-9.\-]*\+?)$")
OPERATORS = {"AND", "OR"}


def _tokens(text: str) -> list[str]:
    return [match.group(1) for match in _TOKEN.finditer(text) if match.group(1).strip()]


def is_spdx_expression(text: str) -> bool:
    """True when `text` reads as an SPDX licence expression.

    Grammar (SPDX 2.3, annex D, without the `DocumentRef` form):
    expression := term (("AND" | "OR") term)*
    term       := identifier ["WITH" identifier] | "(" expression ")"
    Operators are upper case; an identifier has letters, digits, dots and dashes and must
    hold a digit or a dash unless it is a known short name (MIT, Zlib…), so that
    words of prose are refused.
    """
    tokens = _tokens(text)
    if not tokens:
        return False
    position = _expression(tokens, 0)
    return position == len(tokens)


def _expression(tokens: list[str], position: int) -> int:
    """The position after the expression starting at `position`, or -1."""
    position = _term(tokens, position)
    while position != -1 and position < len(tokens) and tokens[position] in OPERATORS:
        position = _term(tokens, position + 1)
    return position


def _term(tokens: list[str], position: int) -> int:
    if position >= len(tokens):
        return -1
    current = tokens[position]
    if current == "(":
        position = _expression(tokens, position + 1)
        if position == -1 or position >= len(tokens) or tokens[position] != ")":
            return -1
        return position + 1
    if not _is_identifier(current):
        return -1
    position += 1
    if position < len(tokens) and tokens[position] == "WITH":
        if position + 1 >= len(tokens) or not _is_identifier(tokens[position + 1]):
            return -1
        position += 2
    return position


# The common SPDX identifiers made of letters only: other words of prose are refused.
LETTER_ONLY_IDENTIFIERS = {
    "MIT",
    "ISC",
    "Zlib",
    "Unlicense",
    "PostgreSQL",
    "WTFPL",
    "NCSA",
    "OpenSSL",
    "NTP",
    "curl",
    "Beerware",
    "HPND",
}


def _is_identifier(word: str) -> bool:
    if word in OPERATORS or word == "WITH" or not _IDENTIFIER.match(word):
        return False
    if word.startswith("LicenseRef-"):
        return True
    # "GPL-3.0", "CECILL-B", "EPL-2.0", "0BSD": a digit or a dash sets an identifier apart.
    return any(ch.isdigit() or ch == "-" for ch in word) or word in LETTER_ONLY_IDENTIFIERS
