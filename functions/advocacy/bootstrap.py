"""Wiring: build the store, mailer, clock and signing key the settings ask for.

Adapters are imported only when chosen, so a Lambda using DynamoDB never imports SQLite code
paths it does not need, and nothing here imports Flask or MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from advocacy.clock import Clock, SystemClock
from advocacy.ports.mail import Mailer
from advocacy.ports.store import Store
from advocacy.settings import Settings, local_signing_key


@dataclass
class Dependencies:
    settings: Settings
    store: Store
    mailer: Mailer
    clock: Clock
    signing_key: bytes


def build_dependencies(settings: Settings | None = None, clock: Clock | None = None) -> Dependencies:
    settings = settings or Settings.from_environ()

    if settings.store == "dynamodb":
        from advocacy.adapters.dynamodb_store import DynamoDBStore

        store: Store = DynamoDBStore(settings.table_name)
    else:
        from advocacy.adapters.sqlite_store import SQLiteStore

        store = SQLiteStore(settings.sqlite_path)

    if settings.mailer == "ses":
        from advocacy.adapters.ses_mailer import SESMailer

        mailer: Mailer = SESMailer(settings.sender)
    else:
        from advocacy.adapters.outbox_mailer import OutboxMailer

        mailer = OutboxMailer(settings.outbox_dir, settings.sender)

    return Dependencies(
        settings=settings,
        store=store,
        mailer=mailer,
        clock=clock or SystemClock(),
        signing_key=signing_key(settings),
    )


def signing_key(settings: Settings) -> bytes:
    """Return the key that signs registration links: from SSM in AWS, from var/ locally."""
    if settings.signing_key_parameter:
        from aws_lambda_powertools.utilities.parameters import get_parameter

        # Cached by Powertools for 5 minutes, so a rotated key reaches warm functions soon.
        return get_parameter(settings.signing_key_parameter, decrypt=True).encode("utf-8")
    return local_signing_key(settings.var_dir)
