"""Configuration from environment variables, with defaults that are safe for local use.

Every variable is listed in the README. Secrets never have a default outside local mode: in AWS
the signing key comes from SSM Parameter Store, named by ADVOCACY_SIGNING_KEY_PARAMETER.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_VAR_DIR = Path("var")


class ConfigurationError(Exception):
    """An environment variable is missing or has a value the portal cannot use."""


def _int_variable(environ: dict, name: str, default: int, minimum: int = 1) -> int:
    raw = environ.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number; got {raw!r}.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}; got {value}.")
    return value


@dataclass(frozen=True)
class Settings:
    store: str
    sqlite_path: Path
    table_name: str
    mailer: str
    outbox_dir: Path
    sender: str
    portal_url: str
    signing_key_parameter: str
    confirmation_window: timedelta
    var_dir: Path
    admin_emails: frozenset[str] = frozenset()
    sign_in_link_lifetime: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(hours=12)
    sign_in_limit_per_address: int = 5
    sign_in_limit_per_client: int = 20
    rate_limit_window: timedelta = timedelta(hours=1)
    program_cap_per_quarter: int = 4
    stale_profile_days: int = 180
    company_domains: frozenset[str] = frozenset()
    reminder_lead: timedelta = timedelta(hours=24)
    one_to_one_threshold: int = 100_000
    supply_trigger: int = 5
    registration_limit_per_address: int = 10
    registration_limit_per_client: int = 60

    @property
    def portal_origin(self) -> str:
        """The scheme, host and port of the portal, as browsers send it in the Origin header."""
        parts = urlsplit(self.portal_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies carry Secure: always, except on plain-http local addresses."""
        parts = urlsplit(self.portal_url)
        return not (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"))

    @classmethod
    def from_environ(cls, environ: dict | None = None) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        var_dir = Path(environ.get("ADVOCACY_VAR_DIR", str(DEFAULT_VAR_DIR)))
        store = environ.get("ADVOCACY_STORE", "sqlite")
        if store not in ("sqlite", "dynamodb"):
            raise ConfigurationError(f"ADVOCACY_STORE must be 'sqlite' or 'dynamodb'; got {store!r}.")
        mailer = environ.get("ADVOCACY_MAILER", "outbox")
        if mailer not in ("outbox", "ses"):
            raise ConfigurationError(f"ADVOCACY_MAILER must be 'outbox' or 'ses'; got {mailer!r}.")
        table_name = environ.get("ADVOCACY_TABLE_NAME", "")
        if store == "dynamodb" and not table_name:
            raise ConfigurationError("ADVOCACY_TABLE_NAME is required when ADVOCACY_STORE is 'dynamodb'.")
        return cls(
            store=store,
            sqlite_path=Path(environ.get("ADVOCACY_SQLITE_PATH", str(var_dir / "portal.sqlite3"))),
            table_name=table_name,
            mailer=mailer,
            outbox_dir=Path(environ.get("ADVOCACY_OUTBOX_DIR", str(var_dir / "outbox"))),
            sender=environ.get("ADVOCACY_SENDER", "Advocacy team <advocacy@portal.example>"),
            portal_url=environ.get("ADVOCACY_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/"),
            signing_key_parameter=environ.get("ADVOCACY_SIGNING_KEY_PARAMETER", ""),
            confirmation_window=timedelta(hours=_int_variable(environ, "ADVOCACY_CONFIRMATION_HOURS", 48)),
            var_dir=var_dir,
            admin_emails=frozenset(
                address.strip().lower() for address in environ.get("ADVOCACY_ADMIN_EMAILS", "").split(",") if address.strip()
            ),
            sign_in_link_lifetime=timedelta(minutes=_int_variable(environ, "ADVOCACY_SIGN_IN_LINK_MINUTES", 15)),
            session_lifetime=timedelta(hours=_int_variable(environ, "ADVOCACY_SESSION_HOURS", 12)),
            sign_in_limit_per_address=_int_variable(environ, "ADVOCACY_SIGN_IN_LIMIT_PER_ADDRESS", 5),
            sign_in_limit_per_client=_int_variable(environ, "ADVOCACY_SIGN_IN_LIMIT_PER_CLIENT", 20),
            rate_limit_window=timedelta(minutes=_int_variable(environ, "ADVOCACY_RATE_LIMIT_WINDOW_MINUTES", 60)),
            program_cap_per_quarter=_int_variable(environ, "ADVOCACY_PROGRAM_CAP_PER_QUARTER", 4),
            stale_profile_days=_int_variable(environ, "ADVOCACY_STALE_PROFILE_DAYS", 180),
            company_domains=frozenset(
                domain.strip().lower().lstrip("@") for domain in environ.get("ADVOCACY_COMPANY_DOMAINS", "").split(",") if domain.strip()
            ),
            reminder_lead=timedelta(hours=_int_variable(environ, "ADVOCACY_REMINDER_HOURS", 24)),
            one_to_one_threshold=_int_variable(environ, "ADVOCACY_ONE_TO_ONE_THRESHOLD", 100_000, minimum=0),
            supply_trigger=_int_variable(environ, "ADVOCACY_SUPPLY_TRIGGER", 5),
            registration_limit_per_address=_int_variable(environ, "ADVOCACY_REGISTRATION_LIMIT_PER_ADDRESS", 10),
            registration_limit_per_client=_int_variable(environ, "ADVOCACY_REGISTRATION_LIMIT_PER_CLIENT", 60),
        )


def local_signing_key(var_dir: Path) -> bytes:
    """Return the signing key kept under var/, creating it on first use.

    Kept on disk so that links emailed before a restart of the local server still work.
    """
    path = var_dir / "signing-key"
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    path.write_text(key.hex(), encoding="ascii")
    path.chmod(0o600)
    return key
