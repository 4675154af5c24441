"""SQLite tables and operations for reference requests and portfolio targets."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime

from advocacy.domain.demand import ReferenceRequest, RequestStatus, Target
from advocacy.ports.demand_store import DemandStore

DEMAND_SCHEMA = """
CREATE TABLE IF NOT EXISTS reference_requests (
    request_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reference_requests_by_status ON reference_requests (status, created_at);
CREATE TABLE IF NOT EXISTS targets (
    target_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
"""


def _request_body(request: ReferenceRequest) -> str:
    values = asdict(request)
    values["needed_by"] = request.needed_by.isoformat()
    values["created_at"] = request.created_at.isoformat()
    values["updated_at"] = request.updated_at.isoformat() if request.updated_at else None
    values["status"] = request.status.value
    return json.dumps(values, ensure_ascii=False)


def _request(body: str) -> ReferenceRequest:
    values = json.loads(body)
    values["needed_by"] = date.fromisoformat(values["needed_by"])
    values["created_at"] = datetime.fromisoformat(values["created_at"])
    values["updated_at"] = datetime.fromisoformat(values["updated_at"]) if values["updated_at"] else None
    values["status"] = RequestStatus(values["status"])
    return ReferenceRequest(**values)


class SQLiteDemandMixin(DemandStore):
    """Implements DemandStore for SQLiteStore, which provides the connection helpers."""

    def save_request(self, request: ReferenceRequest, expected_status: RequestStatus | None = None) -> bool:
        with self._write_transaction() as connection:
            row = connection.execute("SELECT status FROM reference_requests WHERE request_id = ?", (request.request_id,)).fetchone()
            if expected_status is None and row is not None:
                return False
            if expected_status is not None and (row is None or row["status"] != expected_status.value):
                return False
            connection.execute(
                "INSERT INTO reference_requests (request_id, status, created_at, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (request_id) DO UPDATE SET status = excluded.status, body = excluded.body",
                (request.request_id, request.status.value, request.created_at.isoformat(), _request_body(request)),
            )
        return True

    def get_request(self, request_id: str) -> ReferenceRequest | None:
        with self._connection() as connection:
            row = connection.execute("SELECT body FROM reference_requests WHERE request_id = ?", (request_id,)).fetchone()
        return _request(row["body"]) if row else None

    def list_requests(self, status: RequestStatus) -> list[ReferenceRequest]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT body FROM reference_requests WHERE status = ? ORDER BY created_at DESC, request_id", (status.value,)
            ).fetchall()
        return [_request(row["body"]) for row in rows]

    def save_target(self, target: Target) -> None:
        values = {**asdict(target), "created_at": target.created_at.isoformat()}
        with self._write_transaction() as connection:
            connection.execute(
                "INSERT INTO targets (target_id, created_at, body) VALUES (?, ?, ?) "
                "ON CONFLICT (target_id) DO UPDATE SET body = excluded.body",
                (target.target_id, target.created_at.isoformat(), json.dumps(values, ensure_ascii=False)),
            )

    def delete_target(self, target_id: str) -> None:
        with self._write_transaction() as connection:
            connection.execute("DELETE FROM targets WHERE target_id = ?", (target_id,))

    def list_targets(self) -> list[Target]:
        with self._connection() as connection:
            rows = connection.execute("SELECT body FROM targets ORDER BY created_at, target_id").fetchall()
        targets = []
        for row in rows:
            values = json.loads(row["body"])
            values["created_at"] = datetime.fromisoformat(values["created_at"])
            targets.append(Target(**values))
        return targets
