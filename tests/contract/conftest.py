"""The store contract suite runs once per adapter: SQLite, and DynamoDB on moto twice.

The second DynamoDB run builds its table from template.yaml's own definition, so the deployed
table and the code cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.ports.store import Store


@pytest.fixture(params=["sqlite", "dynamodb", "dynamodb-from-template"])
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield SQLiteStore(tmp_path / "portal.sqlite3")
        return
    from tests.support.moto_dynamodb import moto_dynamodb_store
    from tests.support.template_table import table_definition_from_template, ttl_attribute_from_template

    if request.param == "dynamodb":
        with moto_dynamodb_store() as dynamodb_store:
            yield dynamodb_store
        return
    with moto_dynamodb_store(table_definition_from_template, ttl_attribute_from_template()) as dynamodb_store:
        yield dynamodb_store
