"""API authentication: a personal token (Bearer), or the browser session for the docs page."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from guichet.accounts.services import api_token_authenticate


class PersonalToken(HttpBearer):
    openapi_description = "A personal token, created and revoked in “My space → API tokens”."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


# Session authentication keeps Django's CSRF check on unsafe methods.
AUTH = [PersonalToken(), SessionAuth()]
