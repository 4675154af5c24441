"""The store contract suite runs once per adapter: SQLite and DynamoDB on moto."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.ports.store import Store


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield SQLiteStore(tmp_path / "portal.sqlite3")
        return
    from tests.support.moto_dynamodb import moto_dynamodb_store

    with moto_dynamodb_store() as dynamodb_store:
        yield dynamodb_store
