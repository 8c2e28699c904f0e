"""Self-service personal data: see what is held, download it, erase the account."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from guichet.core.registries.personal_data import declarations
from guichet.privacy.forms import ErasureForm
from guichet.privacy.services import personal_data_erase, personal_data_export


@require_safe
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    apps = [d.app for d in declarations()]
    return render(request, "privacy/my_data.html", {"apps": apps})


@require_safe
@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(person=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"guichet-mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ErasureForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        personal_data_erase(person=user, by=user)
        logout(request)
        messages.success(request, _("Your account has been erased. Goodbye, and thank you."))
        return redirect("web:home")
    status = 400 if form.errors else 200
    return render(request, "privacy/erase.html", {"form": form}, status=status)
