"""Secrets for links sent by email (confirmation, follow-up, invitation).

Only a hash is stored: a leaked database does not open anybody's private link. A secret
carries 256 random bits, so a fast hash is enough (unlike passwords).
"""

from __future__ import annotations

import hashlib
import secrets


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


def secret_new() -> tuple[str, str]:
    """A new URL-safe secret and the hash to store in its place."""
    secret = secrets.token_urlsafe(32)
    return secret, secret_hash(secret)
