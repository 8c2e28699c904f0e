"""Tests: tasks run eagerly, fast hashing, no key on disk."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-" + "x" * 40  # used by the test suite only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]

# Static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo loads only the communes it uses (the full reference takes seconds to read).
GUICHET_DEMO_ALL_COMMUNES = False

# Tests behave the same whether or not the machine has LibreOffice: none, unless a test puts
# its stand-in in place.
GUICHET_LIBREOFFICE = "guichet-tests-have-no-libreoffice"

# A made-up but valid SIREN (its checksum holds): the FEC file is named after it.
GUICHET_COOPERATIVE_SIREN = "902817469"
