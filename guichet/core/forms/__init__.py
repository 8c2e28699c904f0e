"""Pieces every app's forms share: date inputs and text areas that give back what they were
given, field ids of their own for forms sharing a page, and uploads kept across a form shown
again with its errors."""

from guichet.core.forms.dates import DateInput, DateTimeInput
from guichet.core.forms.ids import OwnFieldIds
from guichet.core.forms.keeping import KeepsFilesMixin
from guichet.core.forms.text import Textarea, lf_line_ends

__all__ = [
    "DateInput",
    "DateTimeInput",
    "KeepsFilesMixin",
    "OwnFieldIds",
    "Textarea",
    "lf_line_ends",
]
