"""The refusals services raise: a `code` that each app's messages.py turns into a sentence."""

from __future__ import annotations


class CodedError(Exception):
    """A step that cannot be done; `code` keys a translated message for the person."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
