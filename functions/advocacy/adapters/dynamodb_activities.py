"""DynamoDB items and operations for advocates' activities.

Items:

- activity: ``PK=ADVOCATE#<email>``, ``SK=ACTIVITY#<occurred_at>#<activity id>``, so one query
  returns an advocate's activities in a time range. It also carries
  ``GSI1PK=ACTIVITIES#<YYYY-MM>`` and ``GSI1SK=<occurred_at>#<activity id>``, so reports read one
  partition per month.
- id guard: ``PK=ACTIVITY#<activity id>``, ``SK=ACTIVITY``, written in the same transaction with
  ``attribute_not_exists``, so an activity is recorded once whatever retries happen.
"""

from __future__ import annotations

from datetime import datetime

from botocore.exceptions import ClientError

from advocacy.adapters.dynamodb_table import (
    CALENDAR_INDEX,
    CALENDAR_PARTITION_KEY,
    CALENDAR_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    attributes_of,
    deserialize,
    instant_text,
    record_from,
    serialize,
)
from advocacy.domain.activities import Activity
from advocacy.ports.activity_store import ActivityStore

GUARD_SORT_KEY = "ACTIVITY"
# An instant later than any stored one, as the open upper end of a key range.
END_OF_TIME = "9999"


def _guard_key(activity_id: str) -> dict:
    return {PARTITION_KEY: f"ACTIVITY#{activity_id}", SORT_KEY: GUARD_SORT_KEY}


def _item_key(activity: Activity) -> dict:
    return {
        PARTITION_KEY: f"ADVOCATE#{activity.advocate_email_key}",
        SORT_KEY: f"ACTIVITY#{instant_text(activity.occurred_at)}#{activity.activity_id}",
    }


def _months(since: datetime, until: datetime) -> list[str]:
    months = []
    year, month = since.year, since.month
    while (year, month) <= (until.year, until.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class DynamoDBActivityMixin(ActivityStore):
    """Implements ActivityStore for DynamoDBStore, which provides ``client`` and ``table_name``."""

    def record_activity(self, activity: Activity) -> bool:
        key = _item_key(activity)
        item = {
            **key,
            **attributes_of(activity),
            CALENDAR_PARTITION_KEY: f"ACTIVITIES#{activity.occurred_at:%Y-%m}",
            CALENDAR_SORT_KEY: f"{instant_text(activity.occurred_at)}#{activity.activity_id}",
        }
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize({**_guard_key(activity.activity_id), "item_sort_key": key[SORT_KEY], "advocate_email_key": activity.advocate_email_key}),
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    {"Put": {"TableName": self.table_name, "Item": serialize(item)}},
                ]
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return False
            raise
        return True

    def get_activity(self, activity_id: str) -> Activity | None:
        guard = self.client.get_item(TableName=self.table_name, Key=serialize(_guard_key(activity_id)), ConsistentRead=True)
        if "Item" not in guard:
            return None
        pointer = deserialize(guard["Item"])
        key = {PARTITION_KEY: f"ADVOCATE#{pointer['advocate_email_key']}", SORT_KEY: pointer["item_sort_key"]}
        response = self.client.get_item(TableName=self.table_name, Key=serialize(key), ConsistentRead=True)
        return record_from(Activity, deserialize(response["Item"])) if "Item" in response else None

    def list_activities_of(self, advocate_email_key, since=None, until=None) -> list[Activity]:
        low = f"ACTIVITY#{instant_text(since)}" if since else "ACTIVITY#"
        high = f"ACTIVITY#{instant_text(until)}" if until else f"ACTIVITY#{END_OF_TIME}"
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues=serialize({":pk": f"ADVOCATE#{advocate_email_key}", ":low": low, ":high": high}),
            ConsistentRead=True,
        )
        activities = [record_from(Activity, item) for item in items]
        # BETWEEN includes its upper bound; the port's range excludes it.
        return [activity for activity in activities if until is None or activity.occurred_at < until]

    def list_activities_between(self, since: datetime, until: datetime) -> list[Activity]:
        activities: list[Activity] = []
        for month in _months(since, until):
            items = self._query_all(
                IndexName=CALENDAR_INDEX,
                KeyConditionExpression="GSI1PK = :pk AND GSI1SK BETWEEN :low AND :high",
                ExpressionAttributeValues=serialize(
                    {":pk": f"ACTIVITIES#{month}", ":low": instant_text(since), ":high": instant_text(until)}
                ),
            )
            activities += [record_from(Activity, item) for item in items]
        selected = [activity for activity in activities if since <= activity.occurred_at < until]
        return sorted(selected, key=lambda activity: (activity.occurred_at, activity.activity_id))

    def _query_all(self, **request) -> list[dict]:
        items: list[dict] = []
        while True:
            response = self.client.query(TableName=self.table_name, **request)
            items += [deserialize(item) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
