"""API endpoints for the person using it: who am I, my tokens."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from guichet.accounts.access import roles_of
from guichet.accounts.models import ApiToken
from guichet.accounts.services import api_token_revoke

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    college: str | None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_staff: bool
    roles: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get("/me", response=MeOut, summary="The person the request is authenticated as")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "is_staff": user.is_staff,
        "roles": sorted(roles_of(user)),
    }


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def tokens(request: HttpRequest) -> Any:
    user: Any = request.user
    return ApiToken.objects.filter(user=user)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    user: Any = request.user
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    api_token_revoke(token=token, by=user)
    return Status(204, None)
