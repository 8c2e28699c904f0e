"""Date inputs that show the value they are given, and send it back unchanged.

A browser's `type="date"` input accepts only an ISO date (2027-02-01): given the French
"01/02/2027" it shows an empty box, and saving the form then clears the date. Django renders
a date in the language's format unless told otherwise, so every date field of the project
uses these widgets (a test walks every form and fails on any other).
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
# What `datetime-local` reads and writes: no seconds, no time zone (the site's own is meant).
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The browser's date picker, given and giving ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (`datetime-local`), in its ISO form."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME_LOCAL)
