"""A client contact without an account erases its own details, from its follow-up link.

The link was emailed to the contact's address, so whoever holds it speaks for that contact
on that request. The request stays (coordinators, members and the public statistics rely
on it), anonymised as the personal-data registry does for an account's erasure; every
follow-up link of the request stops working, since they would lead to nobody.
"""

from __future__ import annotations

from django.db import transaction

from guichet.core.audit import audit_record
from guichet.needs.models import Request
from guichet.needs.personal_data import requests_anonymise
from guichet.needs.services.links import follow_nonce_new


def request_contact_erase(*, request: Request) -> Request:
    """Anonymise the contact of this request and what the client wrote; revoke its links."""
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=request.pk)
        requests_anonymise([request.pk])
        follow_nonce_new(request)
        request.save(update_fields=["follow_nonce"])
        audit_record(action="request.contact_erase", target=request)
    request.refresh_from_db()
    return request
