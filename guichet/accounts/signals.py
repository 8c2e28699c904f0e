"""Security events from Django and allauth, written to the audit log."""

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals

from guichet.core.audit import audit_record


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="account.login", actor=user, target=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="account.logout", actor=user, target=user)


def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The attempted email is personal data and a guessing aid: only the fact is kept.
    audit_record(action="account.login_failed")


def _signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="account.signup", actor=user, target=user)


def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="account.password_change", actor=user, target=user)


def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="account.password_reset", actor=user, target=user)


def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    audit_record(action="account.email_confirmed", actor=email_address.user_id)


def _authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    audit_record(action="mfa.added", actor=user, target=user, data={"type": authenticator.type})


def _authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    audit_record(action="mfa.removed", actor=user, target=user, data={"type": authenticator.type})


def connect() -> None:
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="guichet_audit_login")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="guichet_audit_logout")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="guichet_audit_failed")
    account_signals.user_signed_up.connect(_signed_up, dispatch_uid="guichet_audit_signup")
    account_signals.password_changed.connect(_password_changed, dispatch_uid="guichet_audit_pw")
    account_signals.password_reset.connect(_password_reset, dispatch_uid="guichet_audit_reset")
    account_signals.email_confirmed.connect(_email_confirmed, dispatch_uid="guichet_audit_email")
    mfa_signals.authenticator_added.connect(_authenticator_added, dispatch_uid="guichet_mfa_add")
    mfa_signals.authenticator_removed.connect(_authenticator_removed, dispatch_uid="guichet_mfa_rm")
