"""DynamoDB items and operations for running forums.

Items and keys:

- every forum item also carries ``GSI2PK=FORUMS`` and ``GSI2SK=<starts_at>#<forum id>``, so the
  admin's list of forums of any status is one query on GSI2 (pending registrations use the
  partition ``PENDING`` of the same index)
- attendance, opportunity and feedback are attributes of the registration item, each changed by
  one conditional UpdateItem
- influence record: ``PK=INFLUENCE#<forum id>``, ``SK=<opportunity id>#<advocate email>``, put with
  ``attribute_not_exists``; ``GSI1PK=INFLUENCE#<YYYY-MM>`` and ``GSI1SK=<occurred_at>#<record id>``
  serve reports by period
- notification claim: ``PK=NOTICE#<key>``, ``SK=NOTICE``, put with ``attribute_not_exists``; it
  expires through TTL a year after the claim
"""

from __future__ import annotations

from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from advocacy.adapters.dynamodb_activities import _months
from advocacy.adapters.dynamodb_table import (
    CALENDAR_INDEX,
    PENDING_INDEX,
    TTL_ATTRIBUTE,
    attributes_of,
    deserialize,
    instant_text,
    record_from,
    registration_key,
    serialize,
)
from advocacy.domain.errors import FeedbackNotAccepted, RegistrationNotFound
from advocacy.domain.forums import Forum
from advocacy.domain.influence import InfluenceRecord
from advocacy.domain.registrations import Registration
from advocacy.ports.forum_operations_store import ForumOperationsStore

ALL_FORUMS_PARTITION = "FORUMS"
NOTICE_RETENTION = timedelta(days=365)


class DynamoDBForumOperationsMixin(ForumOperationsStore):
    """Implements ForumOperationsStore for DynamoDBStore, which provides ``client`` and ``table_name``."""

    def list_forums(self, since: datetime, until: datetime) -> list[Forum]:
        items = self._query_every_page(
            IndexName=PENDING_INDEX,
            KeyConditionExpression="GSI2PK = :pk AND GSI2SK BETWEEN :low AND :high",
            ExpressionAttributeValues=serialize(
                {":pk": ALL_FORUMS_PARTITION, ":low": instant_text(since), ":high": instant_text(until)}
            ),
        )
        # The index projects whole items; its seat counts may lag a write by a moment.
        forums = [record_from(Forum, item) for item in items]
        return [forum for forum in forums if since <= forum.starts_at < until]

    def set_attendance(self, forum_id: str, registration_id: str, attended: bool) -> Registration:
        return self._set_registration_fields(forum_id, registration_id, {"attended": attended})

    def set_opportunity(self, forum_id, registration_id, opportunity_id, opportunity_amount) -> Registration:
        return self._set_registration_fields(
            forum_id, registration_id, {"opportunity_id": opportunity_id, "opportunity_amount": opportunity_amount}
        )

    def record_feedback(self, forum_id, registration_id, rating, comment, now) -> Registration:
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=serialize(registration_key(forum_id, registration_id)),
                UpdateExpression="SET feedback_rating = :rating, feedback_comment = :comment, feedback_at = :now",
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(feedback_at)",
                ExpressionAttributeValues=serialize({":rating": rating, ":comment": comment, ":now": instant_text(now)}),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            if not error.response.get("Item"):
                raise self._not_found(forum_id, registration_id) from None
            raise FeedbackNotAccepted("Thank you, we already have your feedback on this forum.") from None
        return record_from(Registration, deserialize(response["Attributes"]))

    def record_influence(self, record: InfluenceRecord) -> bool:
        item = {
            "PK": f"INFLUENCE#{record.forum_id}",
            "SK": f"{record.opportunity_id}#{record.advocate_email_key}",
            **attributes_of(record),
            "GSI1PK": f"INFLUENCE#{record.occurred_at:%Y-%m}",
            "GSI1SK": f"{instant_text(record.occurred_at)}#{record.record_id}",
        }
        return self._put_once(item)

    def list_influence_of_forum(self, forum_id: str) -> list[InfluenceRecord]:
        items = self._query_every_page(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"INFLUENCE#{forum_id}"}),
            ConsistentRead=True,
        )
        records = [record_from(InfluenceRecord, item) for item in items]
        return sorted(records, key=lambda record: (record.advocate_email_key, record.opportunity_id))

    def list_influence_between(self, since: datetime, until: datetime) -> list[InfluenceRecord]:
        records: list[InfluenceRecord] = []
        for month in _months(since, until):
            items = self._query_every_page(
                IndexName=CALENDAR_INDEX,
                KeyConditionExpression="GSI1PK = :pk AND GSI1SK BETWEEN :low AND :high",
                ExpressionAttributeValues=serialize(
                    {":pk": f"INFLUENCE#{month}", ":low": instant_text(since), ":high": instant_text(until)}
                ),
            )
            records += [record_from(InfluenceRecord, item) for item in items]
        selected = [record for record in records if since <= record.occurred_at < until]
        return sorted(selected, key=lambda record: (record.occurred_at, record.record_id))

    def claim_notification(self, key: str, now: datetime) -> bool:
        return self._put_once(
            {"PK": f"NOTICE#{key}", "SK": "NOTICE", "claimed_at": instant_text(now), TTL_ATTRIBUTE: int((now + NOTICE_RETENTION).timestamp())}
        )

    def _put_once(self, item: dict) -> bool:
        try:
            self.client.put_item(TableName=self.table_name, Item=serialize(item), ConditionExpression="attribute_not_exists(PK)")
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _set_registration_fields(self, forum_id: str, registration_id: str, values: dict) -> Registration:
        assignments = [f"#{name} = :{name}" for name, value in values.items() if value is not None]
        removals = [f"#{name}" for name, value in values.items() if value is None]
        update = ""
        if assignments:
            update += "SET " + ", ".join(assignments)
        if removals:
            update += " REMOVE " + ", ".join(removals)
        request = {
            "TableName": self.table_name,
            "Key": serialize(registration_key(forum_id, registration_id)),
            "UpdateExpression": update.strip(),
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": {f"#{name}": name for name in values},
            "ReturnValues": "ALL_NEW",
        }
        present = {f":{name}": value for name, value in values.items() if value is not None}
        if present:
            request["ExpressionAttributeValues"] = serialize(present)
        try:
            response = self.client.update_item(**request)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise self._not_found(forum_id, registration_id) from None
            raise
        return record_from(Registration, deserialize(response["Attributes"]))

    @staticmethod
    def _not_found(forum_id: str, registration_id: str) -> RegistrationNotFound:
        return RegistrationNotFound(f"No registration {registration_id!r} for forum {forum_id!r}.")

    def _query_every_page(self, **request) -> list[dict]:
        items: list[dict] = []
        while True:
            response = self.client.query(TableName=self.table_name, **request)
            items += [deserialize(item) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
