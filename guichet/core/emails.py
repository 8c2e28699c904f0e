"""Building and queueing emails, for every app's notifications.

An email is rendered from two templates (`<name>_subject.txt`, `<name>.txt`) in the language
active when it is built (callers wrap it in `translation.override`), and leaves through the
background task once the caller's transaction commits: a step rolled back sends nothing.
Links are absolute, on GUICHET_BASE_URL, since the worker sends outside any request.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template

from guichet.core.tasks import send_email


def absolute_url(path: str) -> str:
    """A path of the site as a full address, for an email."""
    return f"{str(settings.GUICHET_BASE_URL).rstrip('/')}{path}"


def _render_text(name: str, context: dict[str, Any]) -> str:
    # Plain text is not HTML: "l'agent" must not reach a mailbox as "l&#x27;agent".
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(context, autoescape=False)))


def email_render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (one line) and plain-text body of `template`, in the active language."""
    context = {"site_name": settings.GUICHET_SITE_NAME, **context}
    subject = _render_text(f"{template}_subject.txt", context)
    body = _render_text(f"{template}.txt", context)
    return " ".join(subject.split()), body


def email_on_commit(*, to: str, subject: str, body: str) -> None:
    """Queue one email to one address once the current transaction commits."""
    transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[to]))
