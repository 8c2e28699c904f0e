"""What a browser would send for a form of a page, read from the page's HTML.

Tests that post a form "as the person would" take the fields from the page they were shown
(`page_form`, then `submission`), not from a dictionary written by hand: a field rendered in a
form the browser cannot read back (a French date in a `type="date"` input) is then sent as a
browser sends it — empty — and the test sees what the person would.

The HTML is parsed by lxml (its form support follows the HTML rules for successful
controls: named, not disabled, checked boxes only, selected options or the first one);
on top of it, each value is sanitised as the HTML standard says browsers do before sending.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import lxml.html
from django.test import Client
from django.test.client import MULTIPART_CONTENT

Pairs = list[tuple[str, str]]
NEWLINES = re.compile(r"\r\n|\r|\n")


def _parses(value: str, pattern: str, fmt: str = "") -> bool:
    """Whether `value` has the input type's syntax (and, for dates, is a real date)."""
    if not re.fullmatch(pattern, value):
        return False
    try:
        return not fmt or bool(datetime.strptime(value[: len(_SAMPLE.strftime(fmt))], fmt))
    except ValueError:
        return False


_SAMPLE = datetime(2000, 1, 1)
SYNTAX = {
    "date": (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
    "month": (r"\d{4}-\d{2}", "%Y-%m"),
    "datetime-local": (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?", "%Y-%m-%dT%H:%M"),
    "time": (r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?", "%H:%M"),
    "number": (r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?", ""),
    "range": (r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?", ""),
}


def sanitised(kind: str, value: str) -> str:
    """The value a browser sends for an input of type `kind` holding `value` (HTML's
    "value sanitization algorithm"): a date, month, time or number it cannot read becomes
    empty — the French "01/02/2027" in a date input is sent as ""."""
    if kind == "hidden":
        return value
    if kind in {"email", "url"}:
        return value.replace("\r", "").replace("\n", "").strip()
    if kind == "datetime-local":
        value = value.replace(" ", "T", 1)
    if kind in SYNTAX:
        return value if _parses(value, *SYNTAX[kind]) else ""
    # text, search, tel, password: line breaks are dropped.
    return value.replace("\r", "").replace("\n", "")


def _textarea(value: str) -> str:
    # The HTML parser drops one newline right after <textarea>; forms send CR LF line ends.
    if value.startswith("\r\n"):
        value = value[2:]
    elif value.startswith("\n"):
        value = value[1:]
    return NEWLINES.sub("\r\n", value)


def page_form(html: str | bytes, *, having: str) -> lxml.html.FormElement:
    """The one form of the page holding an element that matches the XPath `having`
    (relative to the form, e.g. ".//input[@name='action'][@value='edit']")."""
    document = lxml.html.fromstring(html)
    found = [form for form in document.forms if form.xpath(having)]
    assert len(found) == 1, f"{len(found)} forms of the page hold {having}"
    return found[0]


def submission(form: lxml.html.FormElement, *, button: str | None = None) -> Pairs:
    """The name-value pairs the browser sends for `form`, in their order, when the person
    presses its submit button named `button` (else the first one: what Enter presses)."""
    sent: Pairs = []
    for element in form.inputs:
        name = element.name
        if not name or "disabled" in element.attrib:
            continue
        tag = element.tag
        if tag == "textarea":
            sent.append((name, _textarea(element.value or "")))
        elif tag == "select":
            if element.multiple:
                sent.extend((name, value) for value in element.value)
            elif element.value is not None:
                sent.append((name, element.value))
        else:
            kind = (element.get("type") or "text").lower()
            if kind in {"submit", "image", "reset", "button", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if element.checked:
                    sent.append((name, element.get("value", "on")))
                continue
            sent.append((name, sanitised(kind, element.get("value", ""))))
    pressed = _button(form, button)
    if pressed is not None and pressed.get("name"):
        sent.append((pressed.get("name"), pressed.get("value", "")))
    return sent


def _button(form: lxml.html.FormElement, name: str | None) -> Any:
    buttons = form.xpath(
        ".//button[not(@type) or @type='submit'] | .//input[@type='submit' or @type='image']"
    )
    if name is None:
        return buttons[0] if buttons else None
    chosen = [b for b in buttons if b.get("name") == name]
    assert chosen, f"no submit button named {name}"
    return chosen[0]


def as_data(pairs: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    """Pairs as the test client's data: every name with its list of values."""
    data: dict[str, list[Any]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def submit(
    client: Client,
    page_url: str,
    form: lxml.html.FormElement,
    *,
    changes: dict[str, Any] | None = None,
    files: dict[str, Any] | None = None,
    button: str | None = None,
    **extra: Any,
) -> Any:
    """Posts `form` as the browser would from the page at `page_url`; `changes` replace the
    values of the fields they name (what the person typed), `files` are the files chosen."""
    data = as_data(submission(form, button=button))
    for name, value in (changes or {}).items():
        data[name] = value if isinstance(value, list) else [value]
    for name, chosen in (files or {}).items():
        data[name] = chosen if isinstance(chosen, list) else [chosen]
    action = form.get("action") or page_url
    return client.post(action, data, content_type=MULTIPART_CONTENT, **extra)
