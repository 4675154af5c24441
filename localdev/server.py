"""The local server: one Flask process that serves the built site and the API.

Each ``/api/*`` request becomes an API Gateway HTTP API (payload 2.0) event for the same Lambda
handler that runs in AWS, so local behaviour matches the deployed one. Scheduled jobs run on a
timer thread. Local use only: this module is never packaged into Lambda.
"""

from __future__ import annotations

import base64
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from flask import Flask, Response, abort, request, send_from_directory
from werkzeug.serving import WSGIRequestHandler

from advocacy.bootstrap import Dependencies
from advocacy.handlers import admin_api, advocate_api, jobs, public_api

# Headers a CloudFront response headers policy adds in AWS; set here so local pages behave alike.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
}


# Which Lambda function serves a path, as the API Gateway routes in template.yaml do.
API_FUNCTIONS = (
    ("/api/me/", advocate_api.lambda_handler),
    ("/api/admin/", admin_api.lambda_handler),
)

# A Lambda instance handles one event at a time, and the Powertools resolver keeps the current
# event in shared state, so each function takes one request at a time here too. Different
# functions still run side by side, like separate Lambda instances.
FUNCTION_LOCKS = {handler: threading.Lock() for handler in (public_api.lambda_handler, advocate_api.lambda_handler, admin_api.lambda_handler)}


def handler_for(path: str):
    for prefix, handler in API_FUNCTIONS:
        if path.startswith(prefix):
            return handler
    return public_api.lambda_handler


@dataclass
class LambdaContext:
    """The attributes of a Lambda context that Powertools reads."""

    function_name: str = "advocacy-local"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:local:000000000000:function:advocacy-local"
    aws_request_id: str = ""


def api_gateway_event(path: str) -> dict:
    """Turn the current Flask request into an API Gateway HTTP API payload 2.0 event."""
    body = request.get_data()
    try:
        text_body, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text_body, is_base64 = base64.b64encode(body).decode("ascii"), True
    query = request.query_string.decode("latin-1")
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "cookies": [f"{name}={value}" for name, value in request.cookies.items()],
        "headers": {name.lower(): value for name, value in request.headers.items()},
        "queryStringParameters": {name: request.args.get(name) for name in request.args} or None,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": request.host,
            "http": {
                "method": request.method,
                "path": path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.headers.get("User-Agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": "",
            "timeEpoch": int(time.time() * 1000),
        },
        "body": text_body or None,
        "isBase64Encoded": is_base64,
    }


def flask_response(result: dict) -> Response:
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    response = Response(data, status=result.get("statusCode", 200))
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = value
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response


class JobTimer:
    """Runs every scheduled job every ``interval`` seconds on a daemon thread until stopped."""

    def __init__(self, deps: Dependencies, interval: float):
        self.deps = deps
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-timer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for name in jobs.JOBS:
                try:
                    jobs.run_job(name, self.deps)
                except Exception:  # noqa: BLE001 - one failing job must not stop the timer
                    jobs.logger.exception("Scheduled job failed", job=name)


class PrivateRequestHandler(WSGIRequestHandler):
    """Log each request without its query string and with email addresses masked.

    Emailed links carry tokens and signatures in the query string, and some admin paths name an
    advocate's address; neither may reach a log.
    """

    def log_request(self, code="-", size="-") -> None:
        path = self.path.split("?", 1)[0]
        path = re.sub(r"[^/@]*@", "***@", unquote(path))
        self.log("info", '"%s %s" %s', self.command, path, getattr(code, "value", code))


def create_app(deps: Dependencies, site_dir: Path) -> Flask:
    """Build the Flask app that serves ``site_dir`` and routes ``/api/*`` to the handlers."""
    # All handlers share one dependency holder, so this configures every function at once.
    public_api.dependencies.configure(deps)
    site_dir = Path(site_dir).resolve()
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024

    @app.route("/api/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
    def api(path: str) -> Response:
        event = api_gateway_event(f"/api/{path}")
        handler = handler_for(event["rawPath"])
        with FUNCTION_LOCKS[handler]:
            result = handler(event, LambdaContext(aws_request_id=event["requestContext"]["requestId"]))
        return flask_response(result)

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def site(path: str) -> Response:
        candidate = site_dir / path
        if path == "" or path.endswith("/") or candidate.is_dir():
            path = f"{path.rstrip('/')}/index.html".lstrip("/")
        if not (site_dir / path).is_file():
            if (site_dir / "404.html").is_file():
                return send_from_directory(site_dir, "404.html"), 404
            abort(404)
        return send_from_directory(site_dir, path)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
