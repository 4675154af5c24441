"""A DynamoDBStore on moto's in-process DynamoDB, with a fresh table for each use."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import boto3
from moto import mock_aws
from moto.dynamodb.responses import DynamoHandler

from advocacy.adapters.dynamodb_store import DynamoDBStore
from advocacy.adapters.dynamodb_table import TTL_ATTRIBUTE, table_definition

REGION = "eu-west-1"

# Credentials that moto accepts and AWS rejects, so no test can reach a real account.
DUMMY_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


@contextmanager
def _one_dynamodb_request_at_a_time() -> Iterator[None]:
    """Serialize moto's handling of DynamoDB requests with a lock.

    AWS applies each conditional write and each transaction atomically. moto 5's in-process
    backend has no lock, so two threads can interleave inside one request. Then both can pass
    the same condition, or a cancelled transaction restores a copy of the table that drops
    another thread's write. With the lock, concurrent tests interleave only between requests,
    as on AWS.
    """
    lock = threading.Lock()
    handle_request = DynamoHandler.call_action

    def handle_request_alone(handler: DynamoHandler):
        with lock:
            return handle_request(handler)

    with mock.patch.object(DynamoHandler, "call_action", handle_request_alone):
        yield


@contextmanager
def moto_dynamodb_store(definition=table_definition, ttl_attribute: str = TTL_ATTRIBUTE) -> Iterator[DynamoDBStore]:
    """Yield a DynamoDBStore on a new table in moto, with dummy credentials in the environment.

    ``definition`` maps a table name to ``create_table`` arguments: the adapter's own by default,
    or one read from template.yaml, so the deployed table is tested too.
    """
    with mock.patch.dict(os.environ, DUMMY_AWS_ENVIRONMENT):
        os.environ.pop("AWS_PROFILE", None)
        with mock_aws(), _one_dynamodb_request_at_a_time():
            client = boto3.client("dynamodb", region_name=REGION)
            table_name = f"advocacy-test-{uuid.uuid4().hex[:12]}"
            client.create_table(**definition(table_name))
            client.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
            )
            yield DynamoDBStore(table_name, client=client)
