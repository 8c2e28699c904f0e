"""The account pages: Guichet's own, and those of django-allauth a person sees.

allauth registers more URLs than this site uses (sign-in by code, set a first password):
they are exempt below, with the setting that keeps them out of reach.

Some pages need state before they can be shown. The path of a password-reset or an
email-confirmation link is built from a demo account here; the two-factor pages are viewed by
MFA_VIEWER, a demo person with an authenticator app and recovery codes, whom the browser suite
creates (tests/browser/conftest.py) so that the shared demo keeps its people simple.
"""

from typing import Any

from django.urls import reverse

from guichet.core.demo_data import DEMO_PASSWORD
from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register

# The browser suite's demo person with two-factor authentication on.
MFA_VIEWER = "member_mfa"
MFA_EMAIL = "deux-facteurs@demo.guichet.test"
MFA_FULL_NAME = "Inès Moreau"
# The demo person whose links (password reset, email confirmation) anonymous pages follow.
LINK_OWNER_EMAIL = "membre2@demo.guichet.test"
UNVERIFIED_EMAIL = "hugo.marchand@demo.guichet.test"


def _password_reset_from_key_path() -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    from guichet.accounts.models import User

    user = User.objects.get(email=LINK_OWNER_EMAIL)
    kwargs = {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}
    return reverse("account_reset_password_from_key", kwargs=kwargs)


def _confirm_email_path() -> str:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from guichet.accounts.models import User

    address, _ = EmailAddress.objects.get_or_create(
        user=User.objects.get(email=LINK_OWNER_EMAIL),
        email=UNVERIFIED_EMAIL,
        defaults={"verified": False, "primary": False},
    )
    return reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])


def _start_mfa_sign_in(page: Any) -> None:
    """Sign in with the password of MFA_VIEWER, which leaves the login at its two-factor stage.

    `page` is a Playwright page whose context has the live server as its base URL.
    """
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", MFA_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def _account_page(
    key: str,
    url_name: str,
    viewers: tuple[str, ...],
    path: Any = None,
    prepare: Any = None,
) -> None:
    register(
        Page(
            key,
            path or (lambda: reverse(url_name)),
            viewers,
            (url_name,),
            prepare=prepare,
        )
    )


register(Page("api-tokens", lambda: reverse("accounts:tokens"), ("member",), ("accounts:tokens",)))
register(
    Page(
        "notification-preferences",
        lambda: reverse("accounts:notifications"),
        ("member",),
        ("accounts:notifications",),
    )
)
exempt_url("accounts:token_revoke", "POST only: revokes a token, then redirects to the list.")

# Signing in and up, and the pages of the links sent by email.
_account_page("login", "account_login", (ANONYMOUS,))
_account_page("signup", "account_signup", (ANONYMOUS,))
_account_page("account-inactive", "account_inactive", (ANONYMOUS,))
_account_page("email-verification-sent", "account_email_verification_sent", (ANONYMOUS,))
_account_page("email-confirm", "account_confirm_email", (ANONYMOUS,), _confirm_email_path)
_account_page("password-reset", "account_reset_password", (ANONYMOUS,))
_account_page("password-reset-done", "account_reset_password_done", (ANONYMOUS,))
_account_page(
    "password-reset-from-key",
    "account_reset_password_from_key",
    (ANONYMOUS,),
    _password_reset_from_key_path,
)
_account_page("password-reset-from-key-done", "account_reset_password_from_key_done", (ANONYMOUS,))
_account_page("mfa-authenticate", "mfa_authenticate", (ANONYMOUS,), prepare=_start_mfa_sign_in)

# Managing one's account.
_account_page("logout", "account_logout", ("member",))
_account_page("email", "account_email", ("member",))
_account_page("password-change", "account_change_password", ("member",))
_account_page("reauthenticate", "account_reauthenticate", ("member",))
_account_page("mfa-index", "mfa_index", ("member", MFA_VIEWER))
_account_page("totp-activate", "mfa_activate_totp", ("member",))
_account_page("totp-deactivate", "mfa_deactivate_totp", (MFA_VIEWER,))
_account_page("recovery-codes", "mfa_view_recovery_codes", (MFA_VIEWER,))
_account_page("recovery-codes-generate", "mfa_generate_recovery_codes", (MFA_VIEWER,))
_account_page("mfa-reauthenticate", "mfa_reauthenticate", (MFA_VIEWER,))

exempt_url(
    "account_set_password",
    "Sets a first password for accounts created without one (social sign-in, sign-in by "
    "code): both are off here, so it only redirects to the password change page.",
)
exempt_url(
    "account_confirm_login_code",
    "Sign-in by emailed code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED is not set).",
)
exempt_url("mfa_download_recovery_codes", "A text file download, not a page.")
