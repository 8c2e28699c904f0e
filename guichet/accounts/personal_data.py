"""What the accounts app holds about a person, and how to export and erase it."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session

from guichet.core.registries.personal_data import PersonalData, register


def export(person: Any) -> dict[str, Any]:
    return {
        "email": person.email,
        "full_name": person.full_name,
        "date_joined": person.date_joined.isoformat(),
        "last_login": person.last_login.isoformat() if person.last_login else None,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=person)
        ],
        "roles": [
            {"role": g.role, "college": g.college.slug if g.college else None}
            for g in person.role_grants.select_related("college")
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=person).values_list("type", flat=True)
        ),
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in person.api_tokens.all()
        ],
        "email_opt_outs": [
            {"kind": o.kind, "since": o.created_at.isoformat()}
            for o in person.notification_opt_outs.all()
        ],
    }


def _end_sessions(person: Any) -> int:
    # Sessions are signed blobs: the owner is known only once decoded.
    ended = 0
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()
            ended += 1
    return ended


def erase(person: Any) -> int:
    """Anonymise the account rather than delete it: records that must stay keep pointing at it."""
    touched = 0
    touched += EmailAddress.objects.filter(user=person).delete()[0]
    touched += Authenticator.objects.filter(user=person).delete()[0]
    touched += person.api_tokens.all().delete()[0]
    touched += person.role_grants.all().delete()[0]
    touched += person.notification_opt_outs.all().delete()[0]
    touched += _end_sessions(person)
    person.email = f"erased-{person.pk}@erased.invalid"
    person.full_name = ""
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.set_unusable_password()
    person.save()
    return int(touched) + 1


register(
    PersonalData(
        app="accounts",
        fields=(
            "accounts.User.email",
            "accounts.User.full_name",
            "accounts.User.last_login",
            "accounts.User.date_joined",
            "account.EmailAddress.email",
            "mfa.Authenticator.data",
            "accounts.RoleGrant.role",
            "accounts.ApiToken.name",
            "accounts.NotificationOptOut.kind",
        ),
        export=export,
        erase=erase,
        order=1000,
    )
)
