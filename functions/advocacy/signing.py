"""Signed links: the per-registration tokens that prospects get by email.

A token is an HMAC of its purpose and the ids it covers, so it needs no storage, cannot be
forged without the signing key and cannot be reused for another purpose or registration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

CONFIRM = "confirm-registration"
MANAGE = "manage-registration"


def sign(key: bytes, purpose: str, *parts: str) -> str:
    message = "\x1f".join((purpose, *parts)).encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(key: bytes, token: str, purpose: str, *parts: str) -> bool:
    return hmac.compare_digest(sign(key, purpose, *parts), token or "")
