"""Production: every secret from the environment, HTTPS everywhere, `check --deploy` clean."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, mailers

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) in production.")
# Emails carry absolute links: without the site's address they would point at a developer's
# machine (base.py's default).
GUICHET_BASE_URL = os.environ.get("GUICHET_BASE_URL", "").strip().rstrip("/")
if not GUICHET_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "GUICHET_BASE_URL must give the site's address as people reach it in production "
        "(https://guichet.example.org): the links in emails are built on it."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading commits the whole domain to HTTPS in browsers for good: the operator's decision,
# off by default. Django's reminder that it is off (W021) is silenced until it is on.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
MAILERS = mailers("django.core.mail.backends.smtp.EmailBackend")
