"""The portal's single DynamoDB table: its definition, key formats and item attributes.

``template.yaml`` declares the same table for AWS, and the moto test helper creates it from
``table_definition``, so the adapter and its tests run against one layout. docs/data-model.md
shows every item shape and which access pattern reads which key or index.
"""

from __future__ import annotations

import types
from dataclasses import fields
from datetime import date, datetime, timezone
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

PARTITION_KEY = "PK"
SORT_KEY = "SK"

# Sparse index of the public calendar: only published forums carry its keys.
CALENDAR_INDEX = "GSI1"
CALENDAR_PARTITION_KEY = "GSI1PK"
CALENDAR_SORT_KEY = "GSI1SK"
PUBLISHED_PARTITION = "PUBLISHED"

# Sparse index of confirmation deadlines: only pending registrations carry its keys.
PENDING_INDEX = "GSI2"
PENDING_PARTITION_KEY = "GSI2PK"
PENDING_SORT_KEY = "GSI2SK"
PENDING_PARTITION = "PENDING"

# Epoch seconds after which DynamoDB's TTL deletes an item. The sign-in links, sessions and
# rate-limit buckets of adapters/dynamodb_access.py set it. Forums, registrations and advocates
# do not, so TTL never deletes them.
TTL_ATTRIBUTE = "purge_at"

# Width of the arrival number in waitlist sort keys, so that keys sort in arrival order.
ARRIVAL_DIGITS = 10


def table_definition(table_name: str) -> dict:
    """Return the keyword arguments of ``create_table`` for the portal's table."""
    string_attributes = (
        PARTITION_KEY,
        SORT_KEY,
        CALENDAR_PARTITION_KEY,
        CALENDAR_SORT_KEY,
        PENDING_PARTITION_KEY,
        PENDING_SORT_KEY,
    )
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in string_attributes
        ],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": CALENDAR_INDEX,
                "KeySchema": [
                    {"AttributeName": CALENDAR_PARTITION_KEY, "KeyType": "HASH"},
                    {"AttributeName": CALENDAR_SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": PENDING_INDEX,
                "KeySchema": [
                    {"AttributeName": PENDING_PARTITION_KEY, "KeyType": "HASH"},
                    {"AttributeName": PENDING_SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
    }


def instant_text(instant: datetime) -> str:
    """Format an instant as fixed-width ISO-8601 UTC, so that key strings sort in time order.

    ``datetime.isoformat()`` drops the fraction when it is zero, and keys of different widths
    would not sort by time. Always writing microseconds keeps every instant 32 characters long.
    """
    return instant.astimezone(timezone.utc).isoformat(timespec="microseconds")


def forum_partition(forum_id: str) -> str:
    return f"FORUM#{forum_id}"


FORUM_SORT_KEY = "META"
ADVOCATE_SORT_KEY = "PROFILE"
REGISTRATION_PREFIX = "REG#"
EMAIL_GUARD_PREFIX = "EMAIL#"
WAITLIST_PREFIX = "WAIT#"


def forum_key(forum_id: str) -> dict:
    return {PARTITION_KEY: forum_partition(forum_id), SORT_KEY: FORUM_SORT_KEY}


def registration_key(forum_id: str, registration_id: str) -> dict:
    return {PARTITION_KEY: forum_partition(forum_id), SORT_KEY: f"{REGISTRATION_PREFIX}{registration_id}"}


def email_guard_key(forum_id: str, email_key: str) -> dict:
    return {PARTITION_KEY: forum_partition(forum_id), SORT_KEY: f"{EMAIL_GUARD_PREFIX}{email_key}"}


def waitlist_entry_key(forum_id: str, arrival: int) -> dict:
    return {PARTITION_KEY: forum_partition(forum_id), SORT_KEY: f"{WAITLIST_PREFIX}{arrival:0{ARRIVAL_DIGITS}d}"}


def advocate_key(email_key: str) -> dict:
    return {PARTITION_KEY: f"ADVOCATE#{email_key}", SORT_KEY: ADVOCATE_SORT_KEY}


def calendar_sort_key(starts_at: datetime, forum_id: str) -> str:
    return f"{instant_text(starts_at)}#{forum_id}"


def pending_sort_key(expires_at: datetime, forum_id: str, registration_id: str) -> str:
    return f"{instant_text(expires_at)}#{forum_id}#{registration_id}"


# Item attributes: how the fields of the domain's dataclasses are stored

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def plain_value(value: Any) -> Any:
    """Convert one field to what the item stores: enums by value, instants as UTC ISO text, tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return instant_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [plain_value(element) for element in value]
    return value


def attributes_of(record: Any) -> dict:
    """Map a domain dataclass to item attributes, leaving out fields that are None."""
    attributes = {}
    for field in fields(record):
        value = getattr(record, field.name)
        if value is not None:
            attributes[field.name] = plain_value(value)
    return attributes


def record_from(record_type: type, attributes: dict) -> Any:
    """Build a domain dataclass from item attributes. A missing attribute takes the field's default."""
    hints = _field_types(record_type)
    values = {name: _domain_value(hints[name], attributes[name]) for name in hints if name in attributes}
    return record_type(**values)


@cache
def _field_types(record_type: type) -> dict[str, Any]:
    hints = get_type_hints(record_type)
    return {field.name: hints[field.name] for field in fields(record_type)}


def _domain_value(hint: Any, value: Any) -> Any:
    if get_origin(hint) in (Union, types.UnionType):
        hint = next(argument for argument in get_args(hint) if argument is not type(None))
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if get_origin(hint) is tuple:
        return tuple(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if hint is bool:
        return bool(value)
    if hint is int:
        # The deserializer returns every number as a Decimal.
        return int(value)
    return value


def serialize_value(value: Any) -> dict:
    return _serializer.serialize(value)


def serialize(attributes: dict) -> dict:
    return {name: _serializer.serialize(value) for name, value in attributes.items()}


def deserialize(item: dict) -> dict:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}
