"""DynamoDB items and operations for advocates, the directory, nominations and profile reviews.

Items (all in the single table):

- advocate: ``PK=ADVOCATE#<email>``, ``SK=PROFILE``, every field of ``Advocate``, with blackouts
  as a list of ``{first_day, last_day}`` maps. ``GSI1PK=ADVOCATES`` and
  ``GSI1SK=<status>#<email>`` let the directory read each status with one Query.
- profile review request: ``PK=ADVOCATE#<email>``, ``SK=REVIEW#<period>``, ``requested_at``;
  put with ``attribute_not_exists``, so a period's request is sent once.
- nomination: ``PK=NOMINATION#<id>``, ``SK=NOMINATION``, every field of ``Nomination``
  (supporters and notes as lists of maps); ``GSI1PK=NOMINATIONS#<status>``,
  ``GSI1SK=<created_at>#<id>`` while in a pipeline status (the review queue, newest first);
  ``GSI2PK=NOMINEE#<email>``, ``GSI2SK=<created_at>#<id>`` always (a person's nominations);
  the TTL attribute while unconfirmed, one day after the confirmation deadline.
- nominee guard: ``PK=NOMINEE#<email>``, ``SK=GUARD``, ``nomination_id`` of the person's
  reviewed nomination; put with ``attribute_not_exists`` in the transaction that queues it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from advocacy.adapters.dynamodb_activities import _guard_key as activity_guard_key
from advocacy.adapters.dynamodb_table import (
    CALENDAR_INDEX,
    PENDING_INDEX,
    TTL_ATTRIBUTE,
    advocate_key,
    attributes_of,
    deserialize,
    instant_text,
    record_from,
    serialize,
    serialize_value,
)
from advocacy.domain.activities import Activity
from advocacy.domain.advocates import Advocate, AdvocateStatus, Blackout
from advocacy.domain.nominations import (
    PIPELINE,
    Nomination,
    NominationNotFound,
    NominationNote,
    NominationStatus,
    NominationStatusConflict,
    Supporter,
    queued,
)
from advocacy.ports.advocate_store import AdvocateStore
from advocacy.ports.store import StoreContention

DIRECTORY_PARTITION = "ADVOCATES"
REVIEW_PREFIX = "REVIEW#"
ACTIVITY_PREFIX = "ACTIVITY#"
NOMINATION_SORT_KEY = "NOMINATION"
GUARD_SORT_KEY = "GUARD"
# Unconfirmed nominations stay a day past their deadline, so a late click gets "expired".
UNCONFIRMED_RETENTION = timedelta(days=1)
MAX_ATTEMPTS = 10


def _nomination_key(nomination_id: str) -> dict:
    return {"PK": f"NOMINATION#{nomination_id}", "SK": NOMINATION_SORT_KEY}


def _guard_key(email_key: str) -> dict:
    return {"PK": f"NOMINEE#{email_key}", "SK": GUARD_SORT_KEY}


def _queue_keys(nomination: Nomination) -> dict:
    if nomination.status not in PIPELINE:
        return {}
    return {"GSI1PK": f"NOMINATIONS#{nomination.status.value}", "GSI1SK": _created_sort_key(nomination)}


def _created_sort_key(nomination: Nomination) -> str:
    return f"{instant_text(nomination.created_at)}#{nomination.nomination_id}"


def _nomination_item(nomination: Nomination) -> dict:
    attributes = attributes_of(replace(nomination, supporters=(), notes=()))
    attributes["supporters"] = [attributes_of(supporter) for supporter in nomination.supporters]
    attributes["notes"] = [attributes_of(note) for note in nomination.notes]
    item = {
        **_nomination_key(nomination.nomination_id),
        **attributes,
        **_queue_keys(nomination),
        "item_type": "nomination",
        "GSI2PK": f"NOMINEE#{nomination.email_key}",
        "GSI2SK": _created_sort_key(nomination),
    }
    if nomination.status is NominationStatus.UNCONFIRMED and nomination.expires_at:
        item[TTL_ATTRIBUTE] = int((nomination.expires_at + UNCONFIRMED_RETENTION).timestamp())
    return item


def _nomination_from(attributes: dict) -> Nomination:
    supporters = tuple(record_from(Supporter, plain) for plain in attributes.get("supporters", []))
    notes = tuple(record_from(NominationNote, plain) for plain in attributes.get("notes", []))
    flat = {name: value for name, value in attributes.items() if name not in ("supporters", "notes")}
    return replace(record_from(Nomination, flat), supporters=supporters, notes=notes)


def _advocate_item(advocate: Advocate) -> dict:
    attributes = attributes_of(replace(advocate, blackouts=()))
    attributes["blackouts"] = [attributes_of(blackout) for blackout in advocate.blackouts]
    return {
        **advocate_key(advocate.email_key),
        **attributes,
        "item_type": "advocate",
        "GSI1PK": DIRECTORY_PARTITION,
        "GSI1SK": f"{advocate.status.value}#{advocate.email_key}",
    }


def _advocate_from(attributes: dict) -> Advocate:
    blackouts = tuple(record_from(Blackout, plain) for plain in attributes.get("blackouts", []))
    flat = {name: value for name, value in attributes.items() if name != "blackouts"}
    return replace(record_from(Advocate, flat), blackouts=blackouts)


def _condition_failed(error: ClientError) -> bool:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        return any(reason.get("Code") == "ConditionalCheckFailed" for reason in error.response.get("CancellationReasons", []))
    return False


class DynamoDBAdvocateMixin(AdvocateStore):
    """Implements AdvocateStore for DynamoDBStore, which provides ``client`` and ``table_name``."""

    # Profiles and the directory

    def save_advocate(self, advocate: Advocate) -> None:
        self.client.put_item(TableName=self.table_name, Item=serialize(_advocate_item(advocate)))

    def get_advocate(self, email_key: str) -> Advocate | None:
        attributes = self._item(advocate_key(email_key))
        return _advocate_from(attributes) if attributes else None

    def list_advocates(self, statuses: Iterable[AdvocateStatus] | None = None) -> list[Advocate]:
        if statuses is None:
            items = self._query_items(
                IndexName=CALENDAR_INDEX,
                KeyConditionExpression="GSI1PK = :pk",
                ExpressionAttributeValues=serialize({":pk": DIRECTORY_PARTITION}),
            )
            return [_advocate_from(item) for item in items]
        advocates: list[Advocate] = []
        for status in sorted(set(statuses)):
            items = self._query_items(
                IndexName=CALENDAR_INDEX,
                KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
                ExpressionAttributeValues=serialize({":pk": DIRECTORY_PARTITION, ":prefix": f"{status.value}#"}),
            )
            advocates += [_advocate_from(item) for item in items]
        return advocates

    def last_activity_of(self, advocate_email_key: str) -> Activity | None:
        response = self.client.query(
            TableName=self.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=serialize({":pk": f"ADVOCATE#{advocate_email_key}", ":prefix": ACTIVITY_PREFIX}),
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )
        items = [deserialize(item) for item in response["Items"]]
        return record_from(Activity, items[0]) if items else None

    # Nominations

    def add_nomination(self, nomination: Nomination) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=serialize(_nomination_item(nomination)),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def get_nomination(self, nomination_id: str) -> Nomination | None:
        attributes = self._item(_nomination_key(nomination_id))
        return _nomination_from(attributes) if attributes else None

    def enqueue_nomination(self, nomination: Nomination, now: datetime) -> tuple[Nomination, bool]:
        for _ in range(MAX_ATTEMPTS):
            stored = self.get_nomination(nomination.nomination_id)
            if stored is None and nomination.status is NominationStatus.UNCONFIRMED:
                raise NominationNotFound(f"No nomination {nomination.nomination_id!r}; submit the form again.")
            if stored is not None and stored.status is not NominationStatus.UNCONFIRMED:
                if stored.status is NominationStatus.JOINED:
                    return self.get_nomination(stored.joined_to) or stored, False
                return stored, False

            guard = self._item(_guard_key(nomination.email_key))
            try:
                if guard is None:
                    return self._queue_first(nomination, now), True
                return self._join(nomination, guard["nomination_id"], now), False
            except ClientError as error:
                if not _condition_failed(error):
                    raise
                # Another submission for this person, or another click on this link, got in
                # first; read again and follow what it did.
        raise StoreContention(f"Nomination {nomination.nomination_id!r} kept changing; nothing was changed.")

    def _submission_condition(self) -> dict:
        return {
            "ConditionExpression": "attribute_not_exists(PK) OR #status = :unconfirmed",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":unconfirmed": serialize_value(NominationStatus.UNCONFIRMED.value)},
        }

    def _queue_first(self, nomination: Nomination, now: datetime) -> Nomination:
        entry = queued(nomination, now)
        self.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": serialize({**_guard_key(entry.email_key), "item_type": "nominee_guard", "nomination_id": entry.nomination_id}),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {"Put": {"TableName": self.table_name, "Item": serialize(_nomination_item(entry)), **self._submission_condition()}},
            ]
        )
        return entry

    def _join(self, nomination: Nomination, existing_id: str, now: datetime) -> Nomination:
        submission = replace(
            nomination, status=NominationStatus.JOINED, joined_to=existing_id, confirmed_at=now, updated_at=now, expires_at=None
        )
        self.client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": serialize(_nomination_key(existing_id)),
                        "UpdateExpression": "SET supporters = list_append(if_not_exists(supporters, :empty), :supporter), updated_at = :now",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": serialize(
                            {":empty": [], ":supporter": [attributes_of(nomination.as_supporter())], ":now": instant_text(now)}
                        ),
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": self.table_name,
                        "Key": serialize(_guard_key(nomination.email_key)),
                        "ConditionExpression": "nomination_id = :existing",
                        "ExpressionAttributeValues": serialize({":existing": existing_id}),
                    }
                },
                {"Put": {"TableName": self.table_name, "Item": serialize(_nomination_item(submission)), **self._submission_condition()}},
            ]
        )
        return self.get_nomination(existing_id)

    def find_nomination(self, email_key: str) -> Nomination | None:
        guard = self._item(_guard_key(email_key))
        return self.get_nomination(guard["nomination_id"]) if guard else None

    def list_nominations(self, status: NominationStatus, limit: int = 200) -> list[Nomination]:
        items = self._query_items(
            max_items=limit,
            IndexName=CALENDAR_INDEX,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"NOMINATIONS#{status.value}"}),
            ScanIndexForward=False,
        )
        return [_nomination_from(item) for item in items]

    def change_nomination_status(self, nomination: Nomination, expected: NominationStatus) -> Nomination:
        values = {":expected": expected.value, ":status": nomination.status.value, ":now": instant_text(nomination.updated_at)}
        assignments = ["#status = :status", "updated_at = :now"]
        removals = []
        if nomination.decided_at is not None:
            values[":decided"] = instant_text(nomination.decided_at)
            assignments.append("decided_at = :decided")
        queue_keys = _queue_keys(nomination)
        if queue_keys:
            values[":queue"] = queue_keys["GSI1PK"]
            assignments.append("GSI1PK = :queue")
        else:
            removals.append("GSI1PK, GSI1SK")
        update = "SET " + ", ".join(assignments) + (" REMOVE " + ", ".join(removals) if removals else "")
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=serialize(_nomination_key(nomination.nomination_id)),
                UpdateExpression=update,
                ConditionExpression="attribute_exists(PK) AND #status = :expected",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=serialize(values),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            old = deserialize(error.response.get("Item") or {})
            if not old:
                raise NominationNotFound(f"No nomination {nomination.nomination_id!r}; reload the list of nominations.") from None
            raise NominationStatusConflict(
                f"Nomination {nomination.nomination_id!r} is {old['status']} now, not {expected.value}; "
                "someone changed it meanwhile. Reload it and try again.",
                field="status",
            ) from None
        return _nomination_from(deserialize(response["Attributes"]))

    def add_nomination_note(self, nomination_id: str, note: NominationNote, now: datetime) -> Nomination:
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=serialize(_nomination_key(nomination_id)),
                UpdateExpression="SET notes = list_append(if_not_exists(notes, :empty), :note), updated_at = :now",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=serialize({":empty": [], ":note": [attributes_of(note)], ":now": instant_text(now)}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            raise NominationNotFound(f"No nomination {nomination_id!r}; reload the list of nominations.") from None
        return _nomination_from(deserialize(response["Attributes"]))

    def purge_unconfirmed_nominations(self, now: datetime) -> int:
        # DynamoDB's TTL deletes unconfirmed nominations a day after their deadline, and
        # confirming checks the deadline itself, so a late deletion never lets one through.
        return 0

    def list_nominations_of(self, email_key: str) -> list[Nomination]:
        items = self._query_items(
            IndexName=PENDING_INDEX,
            KeyConditionExpression="GSI2PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"NOMINEE#{email_key}"}),
        )
        return [_nomination_from(item) for item in items]

    # Freshness

    def claim_review_request(self, email_key: str, period: str, now: datetime) -> bool:
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=serialize(
                    {"PK": f"ADVOCATE#{email_key}", "SK": f"{REVIEW_PREFIX}{period}", "item_type": "profile_review_request",
                     "period": period, "requested_at": instant_text(now)}
                ),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            return False
        return True

    def list_review_requests(self, email_key: str) -> list[tuple[str, datetime]]:
        items = self._advocate_partition(email_key, REVIEW_PREFIX)
        requests = [(item["period"], datetime.fromisoformat(item["requested_at"])) for item in items]
        return sorted(requests, key=lambda request: (request[1], request[0]))

    # Personal data

    def erase_advocate(self, email_key: str, anonymous_key: str) -> None:
        for item in self._advocate_partition(email_key, ACTIVITY_PREFIX):
            self._refile_activity(record_from(Activity, item), item, email_key, anonymous_key)
        for item in self._advocate_partition(email_key, REVIEW_PREFIX):
            self._delete({"PK": item["PK"], "SK": item["SK"]})
        for nomination in self.list_nominations_of(email_key):
            self._delete(_nomination_key(nomination.nomination_id))
        self._delete(_guard_key(email_key))
        self._delete({"PK": f"PERSON#{email_key}", "SK": "ACCESS"})
        # Sign-in links and sessions are indexed by person on GSI2; rate-limit buckets name only
        # a hash of the address, so they hold nothing personal.
        for item in self._query_items(
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"PERSON#{email_key}"}),
        ):
            self._delete({"PK": item["PK"], "SK": item["SK"]})
        self._delete(advocate_key(email_key))

    def _refile_activity(self, activity: Activity, item: dict, email_key: str, anonymous_key: str) -> None:
        """Move one activity to the anonymous key in one transaction: new item and id guard in, old ones out."""
        anonymous = replace(
            activity,
            advocate_email_key=anonymous_key,
            activity_id=activity.activity_id.replace(email_key, anonymous_key),
            notes="",
        )
        new_item = {
            "PK": f"ADVOCATE#{anonymous_key}",
            "SK": f"{ACTIVITY_PREFIX}{instant_text(anonymous.occurred_at)}#{anonymous.activity_id}",
            **attributes_of(anonymous),
            **{name: item[name] for name in ("GSI1PK", "GSI1SK") if name in item},
        }
        if "GSI1SK" in new_item:
            new_item["GSI1SK"] = f"{instant_text(anonymous.occurred_at)}#{anonymous.activity_id}"
        guard = {
            **activity_guard_key(anonymous.activity_id),
            "item_sort_key": new_item["SK"],
            "advocate_email_key": anonymous_key,
        }
        operations = [
            {"Put": {"TableName": self.table_name, "Item": serialize(new_item)}},
            {"Put": {"TableName": self.table_name, "Item": serialize(guard)}},
            {"Delete": {"TableName": self.table_name, "Key": serialize({"PK": item["PK"], "SK": item["SK"]})}},
        ]
        if anonymous.activity_id != activity.activity_id:
            operations.append(
                {"Delete": {"TableName": self.table_name, "Key": serialize(activity_guard_key(activity.activity_id))}}
            )
        self.client.transact_write_items(TransactItems=operations)

    # Reads and deletes

    def _item(self, key: dict) -> dict | None:
        response = self.client.get_item(TableName=self.table_name, Key=serialize(key), ConsistentRead=True)
        item = response.get("Item")
        return deserialize(item) if item else None

    def _delete(self, key: dict) -> None:
        self.client.delete_item(TableName=self.table_name, Key=serialize(key))

    def _advocate_partition(self, email_key: str, prefix: str) -> list[dict]:
        return self._query_items(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=serialize({":pk": f"ADVOCATE#{email_key}", ":prefix": prefix}),
            ConsistentRead=True,
        )

    def _query_items(self, max_items: int | None = None, **request) -> list[dict]:
        items: list[dict] = []
        while True:
            response = self.client.query(TableName=self.table_name, **request)
            items += [deserialize(item) for item in response["Items"]]
            if max_items is not None and len(items) >= max_items:
                return items[:max_items]
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

