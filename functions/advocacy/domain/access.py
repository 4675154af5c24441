"""Who may do what: sign-in links, sessions, roles and where to go after signing in.

Advocates and admins sign in with a one-time link sent by email; no passwords. A link token and
a session id are random secrets that the store keeps only as SHA-256 hashes, so a copy of the
table does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import unquote, urlsplit

DEFAULT_NEXT_PATH = "/account/"


class Role(StrEnum):
    ADVOCATE = "advocate"
    ADMIN = "admin"


def new_secret() -> str:
    """Return 256 bits of randomness, URL-safe, for a sign-in token or a session id."""
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def email_hint(email_key: str) -> str:
    """Shorten an address for logs: the first letter and the domain, never the whole address."""
    local, _, domain = email_key.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


@dataclass(frozen=True)
class SignInLink:
    token_hash: str
    email_key: str
    created_at: datetime
    expires_at: datetime
    next_path: str = DEFAULT_NEXT_PATH
    used_at: datetime | None = None


@dataclass(frozen=True)
class Session:
    session_hash: str
    email_key: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Principal:
    """The person behind a request and the roles they hold now."""

    email_key: str
    roles: frozenset[Role]
    session_hash: str

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_advocate(self) -> bool:
        return Role.ADVOCATE in self.roles


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next_path(raw: str | None) -> str:
    """Return ``raw`` if it is a path on this portal, else the default page.

    Rejects everything a browser could resolve to another host: absolute URLs, scheme-relative
    ``//host``, backslashes that browsers read as slashes, encoded forms of those, and control
    characters that browsers strip.
    """
    if not raw:
        return DEFAULT_NEXT_PATH
    candidate = raw.strip()
    decoded = candidate
    for _ in range(3):
        decoded = unquote(decoded)
    for form in (candidate, decoded):
        if _CONTROL.search(form) or "\\" in form:
            return DEFAULT_NEXT_PATH
        if not form.startswith("/") or form.startswith("//"):
            return DEFAULT_NEXT_PATH
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return DEFAULT_NEXT_PATH
    return candidate
