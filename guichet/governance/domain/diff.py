"""What an amendment changed: two versions of a proposal's text compared line by line, and
within a line that changed, word by word (Python's difflib, no Django).

The result keeps every character of both texts: reading the unchanged and removed pieces
gives the old text back, reading the unchanged and added pieces gives the new one. A page
marks the added pieces as insertions and the removed ones as deletions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, ADDED, REMOVED, CHANGED = "same", "added", "removed", "changed"

# Words, runs of spaces, and each punctuation sign on its own: joined, they give the text back.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
# Below this likeness, a replaced line is shown as removed then added, not word by word: a
# word diff of two unrelated lines is harder to read than the two lines.
LIKENESS = 0.4


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same in both versions, added by the new one, or removed."""

    kind: str
    text: str


@dataclass(frozen=True)
class Line:
    """One line of the comparison: the same, added, removed, or changed (then its pieces say
    which words were added and removed)."""

    kind: str
    pieces: tuple[Piece, ...]


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _merged(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Neighbouring pieces of one kind as one, and no empty piece."""
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return tuple(merged)


def words_diff(old: str, new: str) -> tuple[Piece, ...]:
    """The pieces of `old` and `new`, word by word: same, removed (from old), added (in new)."""
    before, after = _tokens(old), _tokens(new)
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(Piece(SAME, "".join(before[i1:i2])))
            continue
        # A replacement reads as the old words struck out, then the new ones.
        pieces.append(Piece(REMOVED, "".join(before[i1:i2])))
        pieces.append(Piece(ADDED, "".join(after[j1:j2])))
    return _merged(pieces)


def _whole(kind: str, text: str) -> Line:
    return Line(kind, (Piece(kind, text),) if text else ())


def _replaced(old_lines: list[str], new_lines: list[str]) -> list[Line]:
    """Lines replaced by others: paired in order, compared word by word when alike."""
    lines: list[Line] = []
    for old, new in zip(old_lines, new_lines, strict=False):
        likeness = SequenceMatcher(None, _tokens(old), _tokens(new), autojunk=False).ratio()
        if likeness >= LIKENESS:
            lines.append(Line(CHANGED, words_diff(old, new)))
        else:
            lines += [_whole(REMOVED, old), _whole(ADDED, new)]
    paired = min(len(old_lines), len(new_lines))
    lines += [_whole(REMOVED, old) for old in old_lines[paired:]]
    lines += [_whole(ADDED, new) for new in new_lines[paired:]]
    return lines


def lines_diff(old: str, new: str) -> tuple[Line, ...]:
    """The comparison of two texts, line by line (line endings are not compared)."""
    before, after = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            lines += [_whole(SAME, line) for line in before[i1:i2]]
        elif operation == "delete":
            lines += [_whole(REMOVED, line) for line in before[i1:i2]]
        elif operation == "insert":
            lines += [_whole(ADDED, line) for line in after[j1:j2]]
        else:
            lines += _replaced(before[i1:i2], after[j1:j2])
    return tuple(lines)


def side(lines: tuple[Line, ...], kept: str) -> str:
    """One version read back from the comparison: `kept` is REMOVED for the old text, ADDED
    for the new one."""
    texts = []
    for line in lines:
        if line.kind not in (SAME, CHANGED, kept):
            continue
        texts.append("".join(p.text for p in line.pieces if p.kind in (SAME, kept)))
    return "\n".join(texts)


def has_changes(lines: tuple[Line, ...]) -> bool:
    return any(line.kind != SAME for line in lines)
