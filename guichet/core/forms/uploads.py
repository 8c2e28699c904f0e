"""Uploads kept while a form is shown again with its errors, so that nobody attaches twice.

A browser never fills a file input in again: without this, a form refused for any other
field (a missing deadline) would come back without its documents, and the next, corrected
submission would go without them. So a file that passed its checks is stored under a random,
unguessable name in the `kept/` folder of the site's storage, and the form carries a signed
token for it instead. The token:

- is signed (Django's signing, with the site's secret key): nobody can forge one for
  another stored file, nor change the name it shows;
- names the browser session it was given to (a random mark kept in the session, never the
  session's key): another person holding the token cannot take the file;
- expires after `GUICHET_KEPT_UPLOAD_HOURS` (24 by default);
- is used once: taking the file back deletes it from `kept/` (a form refused again keeps it
  anew, under a new name).

Files nobody came back for are deleted by `manage.py purge_kept_uploads` (daily by cron),
which removes every kept file older than the delay. Nothing else ever reads `kept/`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from guichet.core.errors import CodedError

FOLDER = "kept"
SALT = "guichet.core.kept-upload"
# Where the session holds its random mark; the mark, not the session key, binds the tokens,
# so that signing in (which changes the session key) keeps them valid.
SESSION_KEY = "guichet.kept_uploads"
CHUNK = 64 * 1024


class KeptFileError(CodedError):
    """A kept file that cannot be taken back: `kept_file_expired` (too old, or deleted since)
    or `kept_file_unknown` (not signed here, or given to another session). `name` is the
    file's name when the token still says it."""

    def __init__(self, code: str, name: str = "") -> None:
        super().__init__(code)
        self.name = name


@dataclass(frozen=True)
class KeptFile:
    """A file waiting in `kept/`: the token that takes it back, and what to show of it."""

    token: str
    name: str
    size: int


def keep_delay() -> timedelta:
    return timedelta(hours=int(settings.GUICHET_KEPT_UPLOAD_HOURS))


def _owner_mark(session: SessionBase, *, create: bool) -> str:
    key = session.get(SESSION_KEY)
    if not key:
        if not create:
            return ""
        key = secrets.token_urlsafe(32)
        session[SESSION_KEY] = key
    return salted_hmac(SALT, str(key), algorithm="sha256").hexdigest()


def file_keep(*, upload: UploadedFile[Any], session: SessionBase) -> KeptFile:
    """Stores an upload under a random name and gives the token that takes it back."""
    name = upload.name or ""
    # Wrapped, so that storages copy it instead of moving the upload's temporary file.
    path = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(32)}", File(upload, name=name))
    upload.seek(0)
    size = int(upload.size or 0)
    payload = {
        "path": path,
        "name": name,
        "type": upload.content_type or "application/octet-stream",
        "size": size,
        "owner": _owner_mark(session, create=True),
    }
    return KeptFile(token=signing.dumps(payload, salt=SALT), name=name, size=size)


def _payload(token: str) -> dict[str, Any]:
    try:
        found = signing.loads(token, salt=SALT, max_age=keep_delay())
    except signing.SignatureExpired:
        stale = signing.loads(token, salt=SALT)
        raise KeptFileError("kept_file_expired", name=str(stale.get("name", ""))) from None
    except signing.BadSignature:
        raise KeptFileError("kept_file_unknown") from None
    if not isinstance(found, dict) or not str(found.get("path", "")).startswith(f"{FOLDER}/"):
        raise KeptFileError("kept_file_unknown")
    return found


def file_take(*, token: str, session: SessionBase) -> UploadedFile[Any]:
    """The kept file, as an upload again, and removed from `kept/`; KeptFileError otherwise."""
    payload = _payload(token)
    name = str(payload["name"])
    owner = _owner_mark(session, create=False)
    if not owner or not constant_time_compare(owner, str(payload["owner"])):
        raise KeptFileError("kept_file_unknown", name=name)
    path = str(payload["path"])
    try:
        stored = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise KeptFileError("kept_file_expired", name=name) from None
    upload = TemporaryUploadedFile(name, str(payload["type"]), int(payload["size"]), None)
    with stored:
        while chunk := stored.read(CHUNK):
            upload.write(chunk)
    upload.seek(0)
    default_storage.delete(path)
    return upload


def kept_files_purge(*, now: Any = None) -> int:
    """Deletes the kept files older than the delay; how many were deleted."""
    limit = (now or timezone.now()) - keep_delay()
    try:
        _, names = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            old = default_storage.get_modified_time(path) < limit
        except (FileNotFoundError, OSError):
            continue
        if old:
            default_storage.delete(path)
            deleted += 1
    return deleted
