"""A person's API tokens: list, create (the secret is shown once), revoke."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.forms import ApiTokenForm, NotificationPreferencesForm
from guichet.accounts.models import ApiToken
from guichet.accounts.notifications import NotificationError, kinds, receiving
from guichet.accounts.services import (
    api_token_create,
    api_token_revoke,
    notification_preferences_set,
)


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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The kinds of email a person may refuse, one box each; saved without JavaScript."""
    user: Any = request.user
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"receive": sorted(receiving(user))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_set(person=user, receive=set(form.cleaned_data["receive"]))
        except NotificationError:
            form.add_error(
                "receive",
                _(
                    "One of these kinds of email no longer exists: reload the page and choose "
                    "again."
                ),
            )
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("accounts:notifications")
    chosen = {str(key) for key in form["receive"].value() or []}
    rows = [{"kind": kind, "checked": kind.key in chosen} for kind in kinds()]
    status = 400 if form.errors else 200
    return render(
        request, "accounts/notifications.html", {"form": form, "rows": rows}, status=status
    )
