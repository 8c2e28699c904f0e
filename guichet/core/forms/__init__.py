"""Pieces every app's forms share: date inputs and text areas that give back what they were
given, and uploads kept across a form shown again with its errors."""

from guichet.core.forms.dates import DateInput, DateTimeInput
from guichet.core.forms.kept_files import KeepsFilesMixin
from guichet.core.forms.text import Textarea, lf_line_ends

__all__ = ["DateInput", "DateTimeInput", "KeepsFilesMixin", "Textarea", "lf_line_ends"]
