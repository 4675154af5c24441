"""DynamoDB items and operations for sign-in links, sessions, admins and rate limits.

Items (all in the single table):

- sign-in link: ``PK=SIGNIN#<token hash>``, ``SK=LINK``; used once through a conditional update
- session: ``PK=SESSION#<session hash>``, ``SK=SESSION``
- both carry ``GSI2PK=PERSON#<email>``, so erasing a person finds them with one query
- person: ``PK=PERSON#<email>``, ``SK=ACCESS`` with ``sessions_valid_after`` for signing out everywhere
- admin: ``PK=ADMINS``, ``SK=ADMIN#<email>``; listing admins is one query
- rate-limit bucket: ``PK=RATE#<bucket>``, ``SK=RATE`` with an atomic ``ADD`` counter

Links, sessions and buckets carry the TTL attribute, so DynamoDB deletes them after expiry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from advocacy.adapters.dynamodb_table import TTL_ATTRIBUTE
from advocacy.domain.access import Session, SignInLink
from advocacy.domain.errors import SignInLinkExpired, SignInLinkInvalid, SignInLinkUsed
from advocacy.ports.access_store import AccessStore

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
# Used and expired links stay a day longer, so a second click gets "already used", not "invalid".
LINK_RETENTION = timedelta(days=1)


def _item(attributes: dict) -> dict:
    return {name: _serializer.serialize(value) for name, value in attributes.items() if value is not None}


def _plain(item: dict) -> dict:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def _epoch(instant: datetime) -> int:
    return int(instant.timestamp())


class DynamoDBAccessMixin(AccessStore):
    """Implements AccessStore for DynamoDBStore, which provides ``client`` and ``table_name``."""

    def save_sign_in_link(self, link: SignInLink) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=_item(
                {
                    "PK": f"SIGNIN#{link.token_hash}",
                    "SK": "LINK",
                    "email_key": link.email_key,
                    "created_at": link.created_at.isoformat(),
                    "expires_at": link.expires_at.isoformat(),
                    "next_path": link.next_path,
                    TTL_ATTRIBUTE: _epoch(link.expires_at + LINK_RETENTION),
                    # Indexed by person, so erasing an advocate finds their links without a Scan.
                    "GSI2PK": f"PERSON#{link.email_key}",
                    "GSI2SK": f"LINK#{link.token_hash}",
                }
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def consume_sign_in_link(self, token_hash: str, now: datetime) -> SignInLink:
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=_item({"PK": f"SIGNIN#{token_hash}", "SK": "LINK"}),
                UpdateExpression="SET used_at = :now",
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(used_at) AND expires_at > :now",
                ExpressionAttributeValues=_item({":now": now.isoformat()}),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            old = _plain(error.response.get("Item") or {})
            if not old:
                raise SignInLinkInvalid("This sign-in link is not valid. Ask for a new one on the sign-in page.") from None
            if old.get("used_at"):
                raise SignInLinkUsed("This sign-in link was already used. Ask for a new one on the sign-in page.") from None
            raise SignInLinkExpired("This sign-in link has expired. Ask for a new one on the sign-in page.") from None
        item = _plain(response["Attributes"])
        return SignInLink(
            token_hash=token_hash,
            email_key=item["email_key"],
            created_at=datetime.fromisoformat(item["created_at"]),
            expires_at=datetime.fromisoformat(item["expires_at"]),
            next_path=item["next_path"],
            used_at=now,
        )

    def save_session(self, session: Session) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=_item(
                {
                    "PK": f"SESSION#{session.session_hash}",
                    "SK": "SESSION",
                    "email_key": session.email_key,
                    "created_at": session.created_at.isoformat(),
                    "expires_at": session.expires_at.isoformat(),
                    TTL_ATTRIBUTE: _epoch(session.expires_at),
                    "GSI2PK": f"PERSON#{session.email_key}",
                    "GSI2SK": f"SESSION#{session.session_hash}",
                }
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def get_session(self, session_hash: str) -> Session | None:
        response = self.client.get_item(
            TableName=self.table_name,
            Key=_item({"PK": f"SESSION#{session_hash}", "SK": "SESSION"}),
            ConsistentRead=True,
        )
        if "Item" not in response:
            return None
        item = _plain(response["Item"])
        return Session(
            session_hash=session_hash,
            email_key=item["email_key"],
            created_at=datetime.fromisoformat(item["created_at"]),
            expires_at=datetime.fromisoformat(item["expires_at"]),
        )

    def delete_session(self, session_hash: str) -> None:
        self.client.delete_item(TableName=self.table_name, Key=_item({"PK": f"SESSION#{session_hash}", "SK": "SESSION"}))

    def end_sessions_before(self, email_key: str, instant: datetime) -> None:
        # Sessions are not indexed by person; one timestamp on the person invalidates them all,
        # and each request compares its session's creation time with it.
        self.client.put_item(
            TableName=self.table_name,
            Item=_item({"PK": f"PERSON#{email_key}", "SK": "ACCESS", "sessions_valid_after": instant.isoformat()}),
        )

    def sessions_valid_after(self, email_key: str) -> datetime | None:
        response = self.client.get_item(
            TableName=self.table_name,
            Key=_item({"PK": f"PERSON#{email_key}", "SK": "ACCESS"}),
            ConsistentRead=True,
        )
        item = _plain(response.get("Item") or {})
        return datetime.fromisoformat(item["sessions_valid_after"]) if item.get("sessions_valid_after") else None

    def add_admin(self, email_key: str, added_by: str, now: datetime) -> None:
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=_item({"PK": "ADMINS", "SK": f"ADMIN#{email_key}", "email_key": email_key, "added_by": added_by, "added_at": now.isoformat()}),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def is_admin(self, email_key: str) -> bool:
        response = self.client.get_item(
            TableName=self.table_name, Key=_item({"PK": "ADMINS", "SK": f"ADMIN#{email_key}"}), ConsistentRead=True
        )
        return "Item" in response

    def list_admins(self) -> list[str]:
        admins: list[str] = []
        request = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": _item({":pk": "ADMINS", ":prefix": "ADMIN#"}),
            "ConsistentRead": True,
        }
        while True:
            response = self.client.query(**request)
            admins += [_plain(item)["email_key"] for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return sorted(admins)
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def count_attempt(self, bucket: str, expires_at: datetime) -> int:
        response = self.client.update_item(
            TableName=self.table_name,
            Key=_item({"PK": f"RATE#{bucket}", "SK": "RATE"}),
            UpdateExpression="ADD attempts :one SET #ttl = :ttl",
            ExpressionAttributeNames={"#ttl": TTL_ATTRIBUTE},
            ExpressionAttributeValues=_item({":one": 1, ":ttl": _epoch(expires_at)}),
            ReturnValues="UPDATED_NEW",
        )
        return int(_plain(response["Attributes"])["attempts"])

    def purge_expired_access(self, now: datetime) -> int:
        # DynamoDB's TTL deletes these items on its own, usually within a few days of expiry;
        # every read checks expiry itself, so a late deletion never extends access.
        return 0
