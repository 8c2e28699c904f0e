"""Development: the embedded SQLite database, console email, a key generated into var/."""

import os

from .base import *  # noqa: F403
from .base import development_secret_key, served_at

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or development_secret_key()
# Emailed links point where the demo serves (`make demo PORT=8101`: HOST and PORT reach both
# the web server and the task worker that sends the emails), unless set explicitly.
GUICHET_BASE_URL = (
    os.environ.get("GUICHET_BASE_URL")
    or served_at(os.environ.get("HOST", ""), os.environ.get("PORT", ""))
).rstrip("/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A made-up but valid SIREN (its checksum holds), for the demo's FEC export.
GUICHET_COOPERATIVE_SIREN = os.environ.get("GUICHET_COOPERATIVE_SIREN") or "902817469"
