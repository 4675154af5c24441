"""DynamoDB items and operations for reference requests and portfolio targets.

Items:

- reference request: ``PK=REQUEST#<id>``, ``SK=REQUEST``, with ``GSI1PK=REQUESTS#<status>`` and
  ``GSI1SK=<created_at>#<id>`` so each status is one query, newest first; a status change is a
  PutItem conditional on the stored status, so two admins cannot both move a request
- target: ``PK=TARGETS``, ``SK=TARGET#<id>``; all targets are one query
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from advocacy.adapters.dynamodb_table import CALENDAR_INDEX, attributes_of, deserialize, instant_text, record_from, serialize
from advocacy.domain.demand import ReferenceRequest, RequestStatus, Target
from advocacy.ports.demand_store import DemandStore


class DynamoDBDemandMixin(DemandStore):
    """Implements DemandStore for DynamoDBStore, which provides ``client`` and ``table_name``."""

    def save_request(self, request: ReferenceRequest, expected_status: RequestStatus | None = None) -> bool:
        item = {
            "PK": f"REQUEST#{request.request_id}",
            "SK": "REQUEST",
            **attributes_of(request),
            "GSI1PK": f"REQUESTS#{request.status.value}",
            "GSI1SK": f"{instant_text(request.created_at)}#{request.request_id}",
        }
        if expected_status is None:
            condition = {"ConditionExpression": "attribute_not_exists(PK)"}
        else:
            condition = {
                "ConditionExpression": "#status = :expected",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": serialize({":expected": expected_status.value}),
            }
        try:
            self.client.put_item(TableName=self.table_name, Item=serialize(item), **condition)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_request(self, request_id: str) -> ReferenceRequest | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=serialize({"PK": f"REQUEST#{request_id}", "SK": "REQUEST"}), ConsistentRead=True
        )
        return record_from(ReferenceRequest, deserialize(response["Item"])) if "Item" in response else None

    def list_requests(self, status: RequestStatus) -> list[ReferenceRequest]:
        items = self._query_pages(
            IndexName=CALENDAR_INDEX,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues=serialize({":pk": f"REQUESTS#{status.value}"}),
            ScanIndexForward=False,
        )
        return [record_from(ReferenceRequest, item) for item in items]

    def save_target(self, target: Target) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=serialize({"PK": "TARGETS", "SK": f"TARGET#{target.target_id}", **attributes_of(target)}),
        )

    def delete_target(self, target_id: str) -> None:
        self.client.delete_item(TableName=self.table_name, Key=serialize({"PK": "TARGETS", "SK": f"TARGET#{target_id}"}))

    def list_targets(self) -> list[Target]:
        items = self._query_pages(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=serialize({":pk": "TARGETS"}),
            ConsistentRead=True,
        )
        targets = [record_from(Target, item) for item in items]
        return sorted(targets, key=lambda target: (target.created_at, target.target_id))

    def _query_pages(self, **request) -> list[dict]:
        items: list[dict] = []
        while True:
            response = self.client.query(TableName=self.table_name, **request)
            items += [deserialize(item) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
