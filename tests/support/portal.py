"""A whole portal for tests: dependencies over a chosen store, with the outbox and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from advocacy.adapters.outbox_mailer import OutboxMailer
from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.bootstrap import Dependencies
from advocacy.clock import FixedClock
from advocacy.handlers import http
from advocacy.settings import Settings
from tests.factories import NOW


@contextmanager
def store_of_kind(kind: str, folder: Path) -> Iterator:
    if kind == "sqlite":
        yield SQLiteStore(folder / "portal.sqlite3")
        return
    from tests.support.moto_dynamodb import moto_dynamodb_store

    with moto_dynamodb_store() as store:
        yield store


@contextmanager
def portal(kind: str, folder: Path, **environment: str) -> Iterator[Dependencies]:
    """Yield dependencies wired into every handler, and unwire them afterwards."""
    settings = Settings.from_environ({"ADVOCACY_VAR_DIR": str(folder), **environment})
    with store_of_kind(kind, folder) as store:
        deps = Dependencies(
            settings=settings,
            store=store,
            mailer=OutboxMailer(settings.outbox_dir, settings.sender, echo=lambda line: None),
            clock=FixedClock(NOW),
            signing_key=b"k" * 32,
        )
        http.dependencies.configure(deps)
        try:
            yield deps
        finally:
            http.dependencies.configure(None)
