from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.GUICHET_SITE_NAME,
        "operator_name": settings.GUICHET_OPERATOR_NAME or _("the cooperative that runs this site"),
        "operator_contact": settings.GUICHET_OPERATOR_CONTACT,
        "source_url": settings.GUICHET_SOURCE_URL,
        "host_info": settings.GUICHET_HOST_INFO,
    }
