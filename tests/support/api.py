"""Calling the Lambda handlers as API Gateway does: real HTTP API payload 2.0 events."""

from __future__ import annotations

import email
import email.policy
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit


def _same_origin(method: str) -> dict:
    """Return the headers the portal's pages send with a state-changing request."""
    if method.upper() in ("GET", "HEAD", "OPTIONS"):
        return {}
    return {"origin": "http://127.0.0.1:8000", "x-portal-csrf": "1"}


@dataclass
class LambdaContext:
    function_name: str = "advocacy-test"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:advocacy-test"
    aws_request_id: str = "test-request"


def http_event(
    method: str,
    path: str,
    body=None,
    query: dict | None = None,
    headers: dict | None = None,
    cookies: list[str] | None = None,
    source_ip: str = "203.0.113.9",
) -> dict:
    raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {"content-type": "application/json", **(_same_origin(method) if headers is None else headers)},
        "cookies": cookies or [],
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "portal.example",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": source_ip, "userAgent": "pytest"},
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": "05/Jan/2027:09:00:00 +0000",
            "timeEpoch": 1799139600000,
        },
        "body": raw_body,
        "isBase64Encoded": False,
    }


@dataclass
class ApiResponse:
    status: int
    body: dict
    headers: dict
    cookies: list[str]
    raw: dict


def call(
    handler,
    method: str,
    path: str,
    body=None,
    query: dict | None = None,
    headers: dict | None = None,
    session: str | None = None,
    source_ip: str = "203.0.113.9",
) -> ApiResponse:
    cookies = [f"portal_session={session}"] if session else []
    result = handler(http_event(method, path, body, query, headers, cookies, source_ip), LambdaContext())
    text = result.get("body") or "{}"
    content_type = (result.get("headers") or {}).get("Content-Type", "application/json")
    body = json.loads(text) if "json" in content_type else {"text": text}
    return ApiResponse(result["statusCode"], body, result.get("headers") or {}, result.get("cookies") or [], result)


def outbox_messages(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]


def text_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", text_body(message))


def link_query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
