from django.urls import reverse

from guichet.core.registries.pages import Page, exempt_url, register

register(Page("api-tokens", lambda: reverse("accounts:tokens"), ("member",), ("accounts:tokens",)))
exempt_url("accounts:token_revoke", "POST only: revokes a token, then redirects to the list.")
