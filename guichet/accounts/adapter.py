"""allauth's adapter: account emails leave through the task worker."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from guichet.core.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
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
