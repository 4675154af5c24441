"""The portal's single DynamoDB table, described as data: keys, indexes and key formats.

``template.yaml`` declares the same table for AWS, and the moto test helper creates it from
``table_definition``, so the adapter and its tests run against one layout. docs/data-model.md
shows every item shape and which access pattern reads which key or index.
"""

from __future__ import annotations

from datetime import datetime, timezone

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

# Epoch seconds after which DynamoDB's TTL deletes an item. Sessions and one-time sign-in tokens
# will set it. NOTE: no item the store writes today sets it, so nothing expires through TTL yet.
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
