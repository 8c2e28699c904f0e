"""Settings shared by every environment. Values that differ come from the environment.

The reference of every variable is docs/configuration.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def served_at(host: str, port: str) -> str:
    """The address of a server listening on `host`:`port`, as a browser on the machine
    reaches it (a server listening on every interface is reached on the loopback)."""
    host = host.strip() or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (read, not bound to)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port.strip() or '8000'}"


def development_secret_key() -> str:
    """A key generated once into var/ so that sessions survive restarts in development."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before allauth: the site's templates (allauth/layouts/…) override allauth's own.
    "guichet.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "ninja",
    "guichet.core",
    "guichet.accounts",
    "guichet.governance",
    "guichet.network",
    "guichet.needs",
    "guichet.missions",
    "guichet.finance",
    "guichet.privacy",
    "guichet.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "guichet.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "guichet.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.web.context_processors.site",
            ],
        },
    },
]

# Database: an embedded SQLite file by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the task worker and the web server write without locking each other out.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: rate limits live here. Redis when REDIS_URL is set (needed with several processes).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"

# django-allauth: email login, mandatory verification, TOTP with recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guichet] "
ACCOUNT_ADAPTER = "guichet.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Guichet"
MFA_RECOVERY_CODE_COUNT = 10
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# Languages: French first, English second. URLs carry no prefix for French.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def mailers(default_backend: str) -> dict[str, dict[str, object]]:
    """Django's MAILERS from the environment: SMTP takes the EMAIL_* variables."""
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    options: dict[str, object] = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": 20,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


# Email: printed in the console in development; SMTP in production.
MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guichet <guichet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: Django's tasks framework, stored in the database, run by `db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Security headers. The CSP allows no inline script or style, and nothing from another host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Personal API tokens expire; the default lifetime a person can shorten.
GUICHET_API_TOKEN_DAYS = int(os.environ.get("GUICHET_API_TOKEN_DAYS", "90"))
GUICHET_SITE_NAME = os.environ.get("GUICHET_SITE_NAME", "Guichet")
# Where the site is reached, for the links in emails sent outside a request (no trailing slash).
# Development follows the demo's HOST and PORT (dev.py); production requires it (production.py).
GUICHET_BASE_URL = os.environ.get("GUICHET_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Who runs this instance: shown on the legal, accessibility and source pages.
# Empty means "the cooperative that runs this site", in the reader's language.
GUICHET_OPERATOR_NAME = os.environ.get("GUICHET_OPERATOR_NAME", "")
GUICHET_OPERATOR_CONTACT = os.environ.get("GUICHET_OPERATOR_CONTACT", "contact@guichet.localhost")
GUICHET_SOURCE_URL = os.environ.get("GUICHET_SOURCE_URL", "")
# The host's name, address and telephone (French law asks the legal notice to give them).
GUICHET_HOST_INFO = os.environ.get("GUICHET_HOST_INFO", "")
CSRF_FAILURE_VIEW = "guichet.web.views.csrf_failure"

# Public reference data (SILL catalogue, public contracts), with its licence and attribution.
GUICHET_DATA_DIR = Path(os.environ.get("GUICHET_DATA_DIR", BASE_DIR / "data"))
# A coordinator's verification of an organisation's software role holds this long.
GUICHET_LINK_VERIFICATION_DAYS = int(os.environ.get("GUICHET_LINK_VERIFICATION_DAYS", "365"))
# Admission by peers: how many evaluators a decision needs, and how often members are re-evaluated.
GUICHET_MIN_EVALUATORS = int(os.environ.get("GUICHET_MIN_EVALUATORS", "3"))
GUICHET_REEVALUATION_DAYS = int(os.environ.get("GUICHET_REEVALUATION_DAYS", "365"))

# The guichet: client requests.
# The emailed confirmation link works once, for this many hours.
GUICHET_REQUEST_CONFIRM_HOURS = int(os.environ.get("GUICHET_REQUEST_CONFIRM_HOURS", "48"))
# A private follow-up link, sent with every email about a request, works this many days.
GUICHET_REQUEST_LINK_DAYS = int(os.environ.get("GUICHET_REQUEST_LINK_DAYS", "180"))
# Tender documents: PDF or ODT, at most this many megabytes each, and this many per request.
GUICHET_REQUEST_MAX_DOCUMENT_MB = int(os.environ.get("GUICHET_REQUEST_MAX_DOCUMENT_MB", "10"))
GUICHET_REQUEST_MAX_DOCUMENTS = int(os.environ.get("GUICHET_REQUEST_MAX_DOCUMENTS", "5"))
# A file attached to a form refused for another reason waits this long for the form to come
# back (then `manage.py purge_kept_uploads` deletes it).
GUICHET_KEPT_UPLOAD_HOURS = int(os.environ.get("GUICHET_KEPT_UPLOAD_HOURS", "24"))
# How many members a shortlist proposes per lot, by default.
GUICHET_SHORTLIST_SIZE = int(os.environ.get("GUICHET_SHORTLIST_SIZE", "5"))
# The LibreOffice program that turns response documents into PDF; found on the PATH (soffice)
# when empty. Without LibreOffice, documents are offered as OpenDocument only.
GUICHET_LIBREOFFICE = os.environ.get("GUICHET_LIBREOFFICE", "")
# Matching reads the network from an in-memory index, rebuilt when the network changes and
# at least this often (seconds), since the fair-spread window moves with time.
GUICHET_MATCHING_INDEX_MAX_AGE = int(os.environ.get("GUICHET_MATCHING_INDEX_MAX_AGE", "3600"))
# A provider the client invites may answer its emailed link for this many days.
GUICHET_INVITATION_DAYS = int(os.environ.get("GUICHET_INVITATION_DAYS", "14"))

# Missions.
# The most person-days one organisation may log on one mission in one month.
GUICHET_MISSION_MAX_DAYS_PER_MONTH = int(os.environ.get("GUICHET_MISSION_MAX_DAYS_PER_MONTH", "60"))
# A client may answer its evaluation link for this many days (reminded after 7 and 14).
GUICHET_EVALUATION_DAYS = int(os.environ.get("GUICHET_EVALUATION_DAYS", "30"))

# Finance.
# The cooperative's SIREN (9 digits): it names the FEC file the tax administration receives.
# Empty until set; the export refuses to run without it. Development uses a demo value.
GUICHET_COOPERATIVE_SIREN = os.environ.get("GUICHET_COOPERATIVE_SIREN", "")
