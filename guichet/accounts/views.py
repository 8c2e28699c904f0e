"""A person's API tokens: list, create (the secret is shown once), revoke."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.forms import ApiTokenForm
from guichet.accounts.models import ApiToken
from guichet.accounts.services import api_token_create, api_token_revoke


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, secret = api_token_create(
            user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        # Rendered, not redirected: the secret must not travel through a cookie or a URL.
        created = {"token": token, "secret": secret}
        form = ApiTokenForm()
    context = {"form": form, "created": created, "tokens": user.api_tokens.all()}
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Looked up among the person's own tokens: someone else's is a 404.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
