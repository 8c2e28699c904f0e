"""allauth's words on the sign-in pages, said the way the rest of the site says them.

allauth writes its titles, buttons and labels in Title Case ("Sign In", "Remember Me") and,
in French, its own vocabulary ("Connexion", "e-mail"), while the site's menu says "Sign in"
and "Se connecter". Its templates and forms stay as they are: the site's catalogues
(locale/, which Django reads before the libraries' own) give these messages the site's
wording, in English as in French. Listed here so that `make messages` keeps them; each must
be allauth's message exactly, or it changes nothing.
"""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = (
    # Signing in and up, signing out (account/login.html, signup.html, logout.html).
    gettext_noop("Sign In"),
    gettext_noop("Signup"),
    gettext_noop("Sign Up"),
    gettext_noop("Sign Out"),
    gettext_noop("Remember Me"),
    # A forgotten password (account/password_reset*.html) and its new one.
    gettext_noop("Password Reset"),
    gettext_noop("Reset My Password"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. "
        "Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Bad Token"),
    gettext_noop("Change Password"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    # Confirming an address, an inactive account, a second factor, confirming access again.
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Account Inactive"),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Confirm Access"),
)
