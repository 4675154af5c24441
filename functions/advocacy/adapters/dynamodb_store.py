"""The DynamoDB adapter of the store port: one table, conditional writes and transactions.

DynamoDB checks every rule that concurrent requests could break as a condition of the write.
Counters on the forum item guard the capacity. An email guard item allows one active
registration per person and forum. The waitlist is a run of items sorted by arrival. When a
condition fails because another request changed the data first, the method reads again and
retries, at most ``MAX_ATTEMPTS`` times. No method uses Scan. docs/data-model.md shows the items.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from advocacy.adapters import dynamodb_table as table
from advocacy.domain.errors import ForumNotFound, RegistrationCancelled, RegistrationExpired, RegistrationNotFound
from advocacy.domain.forums import Forum, ForumStatus
from advocacy.domain.registrations import (
    Registration,
    RegistrationStatus,
    frees_a_seat,
    place_on_confirmation,
)
from advocacy.adapters.dynamodb_access import DynamoDBAccessMixin
from advocacy.adapters.dynamodb_activities import DynamoDBActivityMixin
from advocacy.adapters.dynamodb_advocates import DynamoDBAdvocateMixin
from advocacy.adapters.dynamodb_forum_operations import DynamoDBForumOperationsMixin
from advocacy.adapters.dynamodb_demand import DynamoDBDemandMixin
from advocacy.adapters.dynamodb_rewards import DynamoDBRewardsMixin
from advocacy.ports.store import Store, StoreContention

logger = Logger(service="advocacy-portal", child=True)

# Attempts of one store call before it gives up. A retry happens only when another request
# changed the same forum between our read and our write, so a few attempts are the norm.
MAX_ATTEMPTS = 20
# Upper bound, in seconds, of the random pause before a retry that no changed data explains:
# DynamoDB cancelled a transaction for a conflict with another one, or throttled part of a batch.
CONFLICT_BACKOFF_SECONDS = 0.02
# Largest number of keys one BatchGetItem request may name (a DynamoDB limit).
BATCH_GET_MAX_KEYS = 100

CONDITION_FAILED = "ConditionalCheckFailed"
COUNTER_ATTRIBUTES = ("confirmed_count", "waitlist_count", "arrival_counter")
# The registration attributes that a change of status may set.
TRANSITION_ATTRIBUTES = ("status", "confirmed_at", "cancelled_at", "promoted_at", "arrival")


class TransactionRetriesExhausted(StoreContention):
    """Other requests kept changing the same forum, so a store call gave up after MAX_ATTEMPTS."""


class DynamoDBStore(DynamoDBDemandMixin, DynamoDBAccessMixin, DynamoDBActivityMixin, DynamoDBForumOperationsMixin, DynamoDBRewardsMixin, DynamoDBAdvocateMixin, Store):
    """A store in one DynamoDB table, shared by every Lambda function of the portal."""

    def __init__(self, table_name: str, client: Any = None):
        self.table_name = table_name
        self._client = client
        self._client_lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The low-level DynamoDB client, created on first use. boto3 clients are thread safe, so threads share it."""
        with self._client_lock:
            if self._client is None:
                self._client = boto3.client("dynamodb")
        return self._client

    # Forums

    def save_forum(self, forum: Forum) -> None:
        # An UpdateItem rather than a PutItem, so the counters that confirm and cancel keep
        # changing are created once and never overwritten.
        # NOTE: raising the capacity promotes no waitlisted registration, so the next
        # confirmations take the new seats ahead of the waitlist.
        details = table.attributes_of(forum)
        for counter in ("confirmed_count", "waitlist_count"):
            details.pop(counter)
        details["item_type"] = "forum"
        # Every forum, whatever its status, is in the admin's list: partition FORUMS of GSI2.
        details[table.PENDING_PARTITION_KEY] = "FORUMS"
        details[table.PENDING_SORT_KEY] = table.calendar_sort_key(forum.starts_at, forum.forum_id)
        if forum.status is ForumStatus.PUBLISHED:
            details[table.CALENDAR_PARTITION_KEY] = table.PUBLISHED_PARTITION
            details[table.CALENDAR_SORT_KEY] = table.calendar_sort_key(forum.starts_at, forum.forum_id)

        expression = _Expression()
        assignments = [f"{expression.name(name)} = {expression.value(value)}" for name, value in details.items()]
        zero = expression.value(0)
        for counter in COUNTER_ATTRIBUTES:
            placeholder = expression.name(counter)
            assignments.append(f"{placeholder} = if_not_exists({placeholder}, {zero})")
        removed_fields = [field.name for field in fields(forum) if getattr(forum, field.name) is None]
        removed_keys = [] if forum.status is ForumStatus.PUBLISHED else [table.CALENDAR_PARTITION_KEY, table.CALENDAR_SORT_KEY]
        removals = [expression.name(name) for name in (*removed_fields, *removed_keys)]

        update = "SET " + ", ".join(assignments)
        if removals:
            update += " REMOVE " + ", ".join(removals)
        self.client.update_item(**self._update_request(table.forum_key(forum.forum_id), update, expression))

    def get_forum(self, forum_id: str) -> Forum | None:
        attributes = self._get(table.forum_key(forum_id))
        return table.record_from(Forum, attributes) if attributes else None

    def list_upcoming_forums(self, now: datetime, limit: int = 500) -> list[Forum]:
        # Sort keys start with the start instant, at microsecond precision, so "starts after now"
        # is "sort key at or after now plus one microsecond".
        # NOTE: reads of a global secondary index are eventually consistent, so a forum saved a
        # moment ago may be missing, or show counts a moment old.
        expression = _Expression()
        partition = expression.name(table.CALENDAR_PARTITION_KEY)
        sort = expression.name(table.CALENDAR_SORT_KEY)
        earliest = table.instant_text(now + timedelta(microseconds=1))
        condition = f"{partition} = {expression.value(table.PUBLISHED_PARTITION)} AND {sort} >= {expression.value(earliest)}"
        items = self._query(
            expression, condition, index=table.CALENDAR_INDEX, consistent=False, max_items=limit
        )
        return [table.record_from(Forum, attributes) for attributes in items]

    # Registrations

    def add_registration(self, registration: Registration, now: datetime) -> tuple[Registration, bool]:
        forum_id = registration.forum_id
        guard_owner: str | None = None
        lapsed: Registration | None = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            operations = [
                {"Put": self._email_guard_put(registration, replacing=guard_owner)},
                {"Put": self._new_item_put(self._registration_item(registration))},
            ]
            if lapsed is not None:
                operations.append({"Update": self._transition_request(lapsed, lapsed.expired())})
            reasons = self._transact(operations)
            if reasons is None:
                return registration, True

            if reasons[1] == CONDITION_FAILED:
                # A retry of a call that already stored this very registration.
                return self._require_registration(forum_id, registration.registration_id), False
            guard = self._get(table.email_guard_key(forum_id, registration.email_key))
            guard_owner = guard["registration_id"] if guard else None
            existing = self.get_registration(forum_id, guard_owner) if guard_owner else None
            if existing is not None and existing.is_active and not existing.has_lapsed(now):
                return existing, False
            # The guard is free to take over: it points at a registration that was cancelled,
            # expired, or lapsed unconfirmed (which the next attempt marks expired).
            lapsed = existing if existing is not None and existing.has_lapsed(now) else None
            _log_retry("add_registration", registration, attempt, reasons)
        raise _retries_exhausted(f"store registration {registration.registration_id!r} of forum {forum_id!r}")

    def get_registration(self, forum_id: str, registration_id: str) -> Registration | None:
        attributes = self._get(table.registration_key(forum_id, registration_id))
        return table.record_from(Registration, attributes) if attributes else None

    def confirm_registration(self, forum_id: str, registration_id: str, now: datetime) -> Registration:
        # The arrival ticket is taken once and kept across retries, so a confirmation that has
        # to retry keeps its place in the arrival order.
        arrival: int | None = None
        forum: Forum | None = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            registration = self._require_registration(forum_id, registration_id)
            if registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
                return registration
            if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED):
                raise RegistrationCancelled(
                    f"This registration was {registration.status.value}. Register again from the forum page."
                )
            if registration.has_lapsed(now):
                if self._apply_transition(registration, registration.expired()) is not None:
                    raise RegistrationExpired(
                        "The confirmation link expired before it was used. Register again from the forum page."
                    )
                continue

            if arrival is None:
                forum, arrival = self._take_arrival_ticket(forum_id)
            elif forum is None:
                forum = self._require_forum(forum_id)
            placed = place_on_confirmation(forum, registration, now, arrival)
            if placed.status is RegistrationStatus.CONFIRMED:
                operations = self._seat_operations(registration, placed)
            else:
                operations = self._waitlist_operations(registration, placed)
            reasons = self._transact(operations)
            if reasons is None:
                return placed

            # The forum's counts or the registration changed since they were read: read both again.
            forum = None
            _log_retry("confirm_registration", registration, attempt, reasons)
        raise _retries_exhausted(f"confirm registration {registration_id!r} of forum {forum_id!r}")

    def cancel_registration(
        self, forum_id: str, registration_id: str, now: datetime
    ) -> tuple[Registration, Registration | None]:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            registration = self._require_registration(forum_id, registration_id)
            if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED):
                return registration, None

            cancelled = registration.cancelled(now)
            operations = [{"Update": self._transition_request(registration, cancelled)}]
            promoted = None
            if registration.status is RegistrationStatus.WAITLISTED:
                operations += self._waitlist_exit_operations(forum_id, registration.arrival)
            elif frees_a_seat(registration):
                first_entry = self._first_waitlist_entry(forum_id)
                if first_entry is None:
                    operations.append({"Update": self._free_seat_request(forum_id)})
                else:
                    waiting = self.get_registration(forum_id, first_entry["registration_id"])
                    if waiting is None or waiting.status is not RegistrationStatus.WAITLISTED:
                        # It left the waitlist between the query and the read; look again.
                        _log_retry("cancel_registration", registration, attempt, ["WaitlistChanged"])
                        continue
                    promoted = waiting.promoted(now)
                    operations.append({"Update": self._transition_request(waiting, promoted)})
                    operations += self._waitlist_exit_operations(forum_id, waiting.arrival)

            reasons = self._transact(operations)
            if reasons is None:
                return cancelled, promoted
            _log_retry("cancel_registration", registration, attempt, reasons)
        raise _retries_exhausted(f"cancel registration {registration_id!r} of forum {forum_id!r}")

    def list_registrations(self, forum_id: str) -> list[Registration]:
        items = self._query_forum(forum_id, table.REGISTRATION_PREFIX)
        registrations = [table.record_from(Registration, attributes) for attributes in items]
        return sorted(registrations, key=lambda registration: (registration.created_at, registration.registration_id))

    def list_waitlist(self, forum_id: str) -> list[Registration]:
        entries = self._query_forum(forum_id, table.WAITLIST_PREFIX)
        waiting_ids = [entry["registration_id"] for entry in entries]
        by_id = {
            registration.registration_id: registration
            for registration in self._batch_get_registrations(forum_id, waiting_ids)
        }
        return [by_id[registration_id] for registration_id in waiting_ids if registration_id in by_id]

    def expire_registrations(self, now: datetime, limit: int = 100) -> list[Registration]:
        # Sort keys start with the deadline, so "deadline at or before now" is "sort key before
        # now plus one microsecond". The index is eventually consistent, so each update checks
        # that the registration is still pending and skips it otherwise.
        expression = _Expression()
        partition = expression.name(table.PENDING_PARTITION_KEY)
        sort = expression.name(table.PENDING_SORT_KEY)
        bound = table.instant_text(now + timedelta(microseconds=1))
        condition = f"{partition} = {expression.value(table.PENDING_PARTITION)} AND {sort} < {expression.value(bound)}"
        candidates = self._query(expression, condition, index=table.PENDING_INDEX, consistent=False, max_items=limit)

        expired = []
        for attributes in candidates:
            candidate = table.record_from(Registration, attributes)
            stored = self._apply_transition(candidate, candidate.expired())
            if stored is not None:
                expired.append(stored)
        return expired

    # Items and operations

    def _registration_item(self, registration: Registration) -> dict:
        item = {
            **table.registration_key(registration.forum_id, registration.registration_id),
            **table.attributes_of(registration),
            "email_key": registration.email_key,
            "item_type": "registration",
        }
        if registration.status is RegistrationStatus.PENDING:
            item[table.PENDING_PARTITION_KEY] = table.PENDING_PARTITION
            item[table.PENDING_SORT_KEY] = table.pending_sort_key(
                registration.expires_at, registration.forum_id, registration.registration_id
            )
        return item

    def _email_guard_put(self, registration: Registration, replacing: str | None) -> dict:
        """Build the Put of the item that lets one registration per person and forum be active.

        With ``replacing`` None the guard must not exist yet; otherwise it must still point at
        the registration ``replacing``, which is no longer active.
        """
        item = {
            **table.email_guard_key(registration.forum_id, registration.email_key),
            "registration_id": registration.registration_id,
            "item_type": "email_guard",
        }
        if replacing is None:
            return self._new_item_put(item)
        expression = _Expression()
        condition = f"{expression.name('registration_id')} = {expression.value(replacing)}"
        return {"TableName": self.table_name, "Item": table.serialize(item), **expression.request(condition=condition)}

    def _new_item_put(self, item: dict) -> dict:
        expression = _Expression()
        condition = f"attribute_not_exists({expression.name(table.PARTITION_KEY)})"
        return {"TableName": self.table_name, "Item": table.serialize(item), **expression.request(condition=condition)}

    def _transition_request(self, before: Registration, after: Registration) -> dict:
        """Build the UpdateItem that changes a registration's status, on condition it is unchanged."""
        expression = _Expression()
        assignments = []
        for name in TRANSITION_ATTRIBUTES:
            value = getattr(after, name)
            if value is not None and value != getattr(before, name):
                assignments.append(f"{expression.name(name)} = {expression.value(table.plain_value(value))}")
        update = "SET " + ", ".join(assignments)
        if before.status is RegistrationStatus.PENDING and after.status is not RegistrationStatus.PENDING:
            removals = [expression.name(table.PENDING_PARTITION_KEY), expression.name(table.PENDING_SORT_KEY)]
            update += " REMOVE " + ", ".join(removals)
        condition = f"{expression.name('status')} = {expression.value(before.status.value)}"
        key = table.registration_key(before.forum_id, before.registration_id)
        return self._update_request(key, update, expression, condition)

    def _apply_transition(self, before: Registration, after: Registration) -> Registration | None:
        """Change one registration's status outside a transaction.

        Returns the registration as stored, or None when its status was no longer ``before.status``.
        """
        request = self._transition_request(before, after)
        try:
            response = self.client.update_item(**request, ReturnValues="ALL_NEW")
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise
            logger.info(
                "Registration status changed before this update; skipped",
                forum_id=before.forum_id,
                registration_id=before.registration_id,
                expected_status=before.status.value,
            )
            return None
        return table.record_from(Registration, table.deserialize(response["Attributes"]))

    def _take_arrival_ticket(self, forum_id: str) -> tuple[Forum, int]:
        """Increment the forum's arrival counter and return the forum with the new counter value."""
        expression = _Expression()
        update = f"ADD {expression.name('arrival_counter')} {expression.value(1)}"
        condition = f"attribute_exists({expression.name(table.PARTITION_KEY)})"
        request = self._update_request(table.forum_key(forum_id), update, expression, condition)
        try:
            response = self.client.update_item(**request, ReturnValues="ALL_NEW")
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise
            raise ForumNotFound(f"No forum {forum_id!r} exists. Pick one from the calendar.") from None
        attributes = table.deserialize(response["Attributes"])
        return table.record_from(Forum, attributes), int(attributes["arrival_counter"])

    def _seat_operations(self, registration: Registration, placed: Registration) -> list[dict]:
        expression = _Expression()
        confirmed = expression.name("confirmed_count")
        update = f"SET {confirmed} = {confirmed} + {expression.value(1)}"
        condition = f"{confirmed} < {expression.name('capacity')}"
        return [
            {"Update": self._update_request(table.forum_key(registration.forum_id), update, expression, condition)},
            {"Update": self._transition_request(registration, placed)},
        ]

    def _waitlist_operations(self, registration: Registration, placed: Registration) -> list[dict]:
        expression = _Expression()
        waitlisted = expression.name("waitlist_count")
        update = f"SET {waitlisted} = {waitlisted} + {expression.value(1)}"
        # The waitlist is only for a full forum: if a seat freed up meanwhile, take it instead.
        condition = f"{expression.name('confirmed_count')} >= {expression.name('capacity')}"
        entry = {
            **table.waitlist_entry_key(registration.forum_id, placed.arrival),
            "registration_id": registration.registration_id,
            "item_type": "waitlist_entry",
        }
        return [
            {"Update": self._update_request(table.forum_key(registration.forum_id), update, expression, condition)},
            {"Update": self._transition_request(registration, placed)},
            {"Put": self._new_item_put(entry)},
        ]

    def _waitlist_exit_operations(self, forum_id: str, arrival: int) -> list[dict]:
        """Build the Delete of a waitlist entry, which must still exist, and the count's decrement."""
        entry = _Expression()
        exists = f"attribute_exists({entry.name(table.PARTITION_KEY)})"
        counter = _Expression()
        waitlisted = counter.name("waitlist_count")
        update = f"SET {waitlisted} = {waitlisted} - {counter.value(1)}"
        return [
            {
                "Delete": {
                    "TableName": self.table_name,
                    "Key": table.serialize(table.waitlist_entry_key(forum_id, arrival)),
                    **entry.request(condition=exists),
                }
            },
            {"Update": self._update_request(table.forum_key(forum_id), update, counter)},
        ]

    def _free_seat_request(self, forum_id: str) -> dict:
        """Build the decrement of the confirmed count, allowed only while the waitlist is empty."""
        expression = _Expression()
        confirmed = expression.name("confirmed_count")
        update = f"SET {confirmed} = {confirmed} - {expression.value(1)}"
        condition = f"{expression.name('waitlist_count')} = {expression.value(0)}"
        return self._update_request(table.forum_key(forum_id), update, expression, condition)

    def _update_request(self, key: dict, update: str, expression: _Expression, condition: str | None = None) -> dict:
        return {
            "TableName": self.table_name,
            "Key": table.serialize(key),
            "UpdateExpression": update,
            **expression.request(condition=condition),
        }

    def _transact(self, operations: list[dict]) -> list[str] | None:
        """Run the operations as one transaction.

        Returns None when it committed, or one cancellation reason code per operation (in order)
        when DynamoDB cancelled it: ``ConditionalCheckFailed`` for a failed condition, ``None``
        for an operation that was fine, ``TransactionConflict`` when another transaction held
        one of the items. After a cancellation without a failed condition, it waits a moment.
        """
        try:
            self.client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if _error_code(error) != "TransactionCanceledException":
                raise
            reasons = [reason.get("Code", "None") for reason in error.response.get("CancellationReasons", [])]
            if CONDITION_FAILED not in reasons:
                time.sleep(random.uniform(0, CONFLICT_BACKOFF_SECONDS))
            return reasons + ["None"] * (len(operations) - len(reasons))
        return None

    # Reads

    def _get(self, key: dict) -> dict | None:
        response = self.client.get_item(TableName=self.table_name, Key=table.serialize(key), ConsistentRead=True)
        item = response.get("Item")
        return table.deserialize(item) if item else None

    def _require_registration(self, forum_id: str, registration_id: str) -> Registration:
        registration = self.get_registration(forum_id, registration_id)
        if registration is None:
            raise RegistrationNotFound(
                f"No registration {registration_id!r} for forum {forum_id!r}. Check the link in your email."
            )
        return registration

    def _require_forum(self, forum_id: str) -> Forum:
        forum = self.get_forum(forum_id)
        if forum is None:
            raise ForumNotFound(f"No forum {forum_id!r} exists. Pick one from the calendar.")
        return forum

    def _first_waitlist_entry(self, forum_id: str) -> dict | None:
        entries = self._query_forum(forum_id, table.WAITLIST_PREFIX, max_items=1)
        return entries[0] if entries else None

    def _query_forum(self, forum_id: str, sort_prefix: str, max_items: int | None = None) -> list[dict]:
        """Return the items of one forum's partition whose sort key starts with the prefix, in key order."""
        expression = _Expression()
        partition = expression.name(table.PARTITION_KEY)
        sort = expression.name(table.SORT_KEY)
        condition = (
            f"{partition} = {expression.value(table.forum_partition(forum_id))} "
            f"AND begins_with({sort}, {expression.value(sort_prefix)})"
        )
        return self._query(expression, condition, consistent=True, max_items=max_items)

    def _query(
        self,
        expression: _Expression,
        key_condition: str,
        *,
        consistent: bool,
        index: str | None = None,
        max_items: int | None = None,
    ) -> list[dict]:
        """Run one Query, following LastEvaluatedKey until ``max_items`` items or the end."""
        request = {
            "TableName": self.table_name,
            "KeyConditionExpression": key_condition,
            "ConsistentRead": consistent,
            **expression.request(),
        }
        if index is not None:
            request["IndexName"] = index
        items: list[dict] = []
        while max_items is None or len(items) < max_items:
            if max_items is not None:
                request["Limit"] = max_items - len(items)
            response = self.client.query(**request)
            items += [table.deserialize(item) for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return items

    def _batch_get_registrations(self, forum_id: str, registration_ids: list[str]) -> Iterator[Registration]:
        for start in range(0, len(registration_ids), BATCH_GET_MAX_KEYS):
            chunk = registration_ids[start : start + BATCH_GET_MAX_KEYS]
            request = {
                self.table_name: {
                    "Keys": [table.serialize(table.registration_key(forum_id, registration_id)) for registration_id in chunk],
                    "ConsistentRead": True,
                }
            }
            for attempt in range(1, MAX_ATTEMPTS + 1):
                response = self.client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    yield table.record_from(Registration, table.deserialize(item))
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                # DynamoDB returns unprocessed keys when it throttles part of a batch.
                time.sleep(random.uniform(0, CONFLICT_BACKOFF_SECONDS))
            if request:
                raise _retries_exhausted(f"read the waitlist of forum {forum_id!r}")


class _Expression:
    """Placeholders for attribute names and values, shared by one request's expressions."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, dict] = {}

    def name(self, attribute: str) -> str:
        placeholder = f"#{attribute}"
        self.names[placeholder] = attribute
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = table.serialize_value(value)
        return placeholder

    def request(self, condition: str | None = None) -> dict:
        """Return the request parameters for these placeholders and an optional condition."""
        parameters: dict[str, Any] = {}
        if condition is not None:
            parameters["ConditionExpression"] = condition
        if self.names:
            parameters["ExpressionAttributeNames"] = self.names
        if self.values:
            parameters["ExpressionAttributeValues"] = self.values
        return parameters


def _error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def _log_retry(operation: str, registration: Registration, attempt: int, reasons: list[str]) -> None:
    logger.info(
        "Write cancelled because the data changed; retrying",
        operation=operation,
        forum_id=registration.forum_id,
        registration_id=registration.registration_id,
        attempt=attempt,
        reasons=reasons,
    )


def _retries_exhausted(action: str) -> TransactionRetriesExhausted:
    return TransactionRetriesExhausted(
        f"Failed to {action} after {MAX_ATTEMPTS} attempts because other requests kept changing "
        "the same forum. Try again in a moment."
    )
