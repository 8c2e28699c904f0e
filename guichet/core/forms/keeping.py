"""Forms that keep their attached files when they come back with errors.

`KeepsFilesMixin` goes first in the bases of any form with a file field, and the view gives it
the browser's session (`session=request.session`). Then:

- when the form is shown again with errors, each file that passed its checks is kept
  (`uploads`) and appears under its input as a ticked box, "Keep “tender.pdf” …: you need
  not attach it again", whose value is the kept file's token; unticking it leaves the file
  out. No JavaScript is involved;
- when the form is sent again, each ticked file is taken back and joins the files chosen
  anew (a single-file input: a file chosen anew replaces the kept one), so the form's
  cleaning and the service see them as if they had just been attached;
- a kept file that can no longer be taken back (expired) is an error next to its field,
  naming the file: it is never dropped silently.

A form without a session (a script, a test) behaves as a plain form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.forms.boundfield import BoundField
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from guichet.core.documents import DocumentError, document_check
from guichet.core.forms.uploads import (
    KeptFile,
    KeptFileError,
    file_keep,
    file_take,
)

KEPT_SUFFIX = "-kept"
TEMPLATE = "core/kept_files.html"
MESSAGES = {
    "kept_file_expired": _(
        "“%(name)s” was kept for %(hours)s hours only and is no longer available: attach it "
        "again, or untick it."
    ),
    "kept_file_unknown": _(
        "A file kept from a previous attempt cannot be found: attach it again, or untick it."
    ),
}


def _values(mapping: Any, key: str) -> list[Any]:
    if mapping is None:
        return []
    if hasattr(mapping, "getlist"):
        return list(mapping.getlist(key))
    value = mapping.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _keepable(upload: Any) -> bool:
    """A document that passes the same checks its form applies: anything else is refused
    with its own message, and never stored."""
    try:
        document_check(upload)
    except DocumentError:
        return False
    return True


class KeptFileBoundField(BoundField):
    """A file field that shows, under its input, the files kept for it."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> Any:
        built = super().build_widget_attrs(attrs, widget)
        if self.form.kept_files_for(self.name):  # type: ignore[attr-defined]
            # A kept file fills the field: the browser must not ask for another.
            built.pop("required", None)
        return built

    def as_widget(self, widget: Any = None, attrs: Any = None, only_initial: bool = False) -> Any:
        html = super().as_widget(widget, attrs, only_initial)
        kept = self.form.kept_files_for(self.name)  # type: ignore[attr-defined]
        if not kept:
            return html
        context = {
            "kept": kept,
            "name": self.html_name + KEPT_SUFFIX,
            "id": self.auto_id or self.html_name,
            "hours": settings.GUICHET_KEPT_UPLOAD_HOURS,
        }
        # Rendered by a template, which escapes what it shows.
        return html + mark_safe(self.form.renderer.render(TEMPLATE, context))  # noqa: S308


class KeepsFilesMixin(forms.Form):
    """Keeps the files of a form refused for another reason (see the module's docstring)."""

    # Which uploads may be kept: the documents every file field of the project takes.
    keepable: Callable[[Any], bool] = staticmethod(_keepable)

    def __init__(self, *args: Any, session: SessionBase | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self._kept: dict[str, list[KeptFile]] | None = None
        self._kept_errors: dict[str, list[str]] = {}
        for field in self._file_fields():
            field.bound_field_class = KeptFileBoundField

    def _file_fields(self) -> Iterable[forms.FileField]:
        return (f for f in self.fields.values() if isinstance(f, forms.FileField))

    def _file_names(self) -> list[str]:
        return [name for name, f in self.fields.items() if isinstance(f, forms.FileField)]

    def full_clean(self) -> None:
        if self.is_bound and self.session is not None:
            self.files = self._files_with_kept()
        super().full_clean()
        for name, problems in self._kept_errors.items():
            for problem in problems:
                self.add_error(name, problem)

    def _files_with_kept(self) -> MultiValueDict[str, Any]:
        files: MultiValueDict[str, Any] = MultiValueDict()
        for key in self.files or {}:
            files.setlist(key, _values(self.files, key))
        for name in self._file_names():
            key = self.add_prefix(name)
            chosen = [upload for upload in files.getlist(key) if upload]
            tokens = [t for t in _values(self.data, key + KEPT_SUFFIX) if t]
            if chosen and not self.fields[name].widget.allow_multiple_selected:
                tokens = []  # a file chosen anew replaces the one kept
            taken = [self._take(name, token) for token in tokens]
            files.setlist(key, [upload for upload in taken if upload] + chosen)
        return files

    def _take(self, name: str, token: str) -> Any:
        assert self.session is not None
        try:
            return file_take(token=token, session=self.session)
        except KeptFileError as error:
            message = MESSAGES[error.code] % {
                "name": error.name,
                "hours": settings.GUICHET_KEPT_UPLOAD_HOURS,
            }
            self._kept_errors.setdefault(name, []).append(message)
            return None

    def kept_files_for(self, name: str) -> list[KeptFile]:
        """The files kept for the field `name`, stored on first asking: the form is being
        shown again, whatever refused it."""
        if self._kept is None:
            self._kept = self._keep_all() if self._should_keep() else {}
        return self._kept.get(name, [])

    @property
    def kept_files(self) -> list[KeptFile]:
        """Every file kept, for the form's summary of errors."""
        return [kept for name in self._file_names() for kept in self.kept_files_for(name)]

    def _should_keep(self) -> bool:
        # A bound form is shown only when it was not accepted (refused by a field, by the
        # service, or by a rate limit): accepted ones are answered by a redirect.
        return self.is_bound and self.session is not None

    def _keep_all(self) -> dict[str, list[KeptFile]]:
        assert self.session is not None
        kept: dict[str, list[KeptFile]] = {}
        for name in self._file_names():
            uploads = [u for u in _values(self.files, self.add_prefix(name)) if u]
            kept[name] = [
                file_keep(upload=upload, session=self.session)
                for upload in uploads
                if self.keepable(upload)
            ]
        return kept
