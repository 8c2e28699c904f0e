"""allauth's adapter: account emails leave through the task worker."""

from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from guichet.core.tasks import send_email


@dataclass(frozen=True)
class _Site:
    """What allauth's email templates read of the site: its name and its host."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # The context allauth's own send_mail gives (this replaces it): without it, the
        # messages greeted from a site with no name.
        request = self.request  # allauth sets it from the request being served
        site = _Site(name=settings.GUICHET_SITE_NAME, domain=request.get_host() if request else "")
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": site, **context},
        )
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(c) for c, kind in message.alternatives if kind == "text/html"), "")
        send_email.enqueue(
            subject=str(message.subject),
            body=message.body if message.content_subtype == "plain" else "",
            html=html or (message.body if message.content_subtype == "html" else ""),
            to=list(message.to),
            from_email=message.from_email,
        )
