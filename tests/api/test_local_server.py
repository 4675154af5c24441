"""The local Flask server: static pages, /api routing to the Lambda handler, and safety headers."""

from __future__ import annotations

import pytest

from advocacy.adapters.outbox_mailer import OutboxMailer
from advocacy.adapters.sqlite_store import SQLiteStore
from advocacy.bootstrap import Dependencies
from advocacy.clock import FixedClock
from advocacy.handlers import jobs, public_api
from advocacy.settings import Settings
from localdev import demo
from localdev.server import create_app
from tests.factories import NOW


@pytest.fixture
def deps(tmp_path):
    settings = Settings.from_environ({"ADVOCACY_VAR_DIR": str(tmp_path / "var")})
    dependencies = Dependencies(
        settings=settings,
        store=SQLiteStore(settings.sqlite_path),
        mailer=OutboxMailer(settings.outbox_dir, settings.sender, echo=lambda line: None),
        clock=FixedClock(NOW),
        signing_key=b"k" * 32,
    )
    yield dependencies
    public_api.dependencies.configure(None)
    jobs.dependencies.configure(None)


@pytest.fixture
def client(deps, tmp_path):
    site = tmp_path / "site"
    (site / "calendar").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Home</h1>", encoding="utf-8")
    (site / "calendar" / "index.html").write_text("<h1>Calendar</h1>", encoding="utf-8")
    (site / "404.html").write_text("<h1>Not found</h1>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    return create_app(deps, site).test_client()


def test_server_serves_home_page(client):
    response = client.get("/")

    assert response.status_code == 200
    assert b"Home" in response.data


def test_server_serves_folder_index(client):
    response = client.get("/calendar/")

    assert b"Calendar" in response.data


def test_server_unknown_page_returns_404_page(client):
    response = client.get("/nowhere/")

    assert response.status_code == 404
    assert b"Not found" in response.data


def test_server_refuses_path_outside_site(client):
    response = client.get("/../secret.txt")

    assert b"outside the site" not in response.data


def test_server_routes_api_to_lambda_handler(client, deps):
    demo.load(deps, echo=lambda line: None)

    response = client.get("/api/forums")

    assert response.status_code == 200
    assert len(response.get_json()["forums"]) == 10


def test_server_sends_security_headers(client):
    response = client.get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_demo_load_moves_dates_into_future(deps):
    deps.clock.set(NOW.replace(year=2031))

    demo.load(deps, echo=lambda line: None)

    assert len(deps.store.list_upcoming_forums(deps.clock.now())) == 10


def test_demo_load_once_keeps_later_edits(deps):
    demo.load_once(deps, echo=lambda line: None)
    forum = deps.store.list_upcoming_forums(NOW)[0]
    deps.store.save_forum(forum.__class__(**{**forum.__dict__, "title": "Edited"}))

    demo.load_once(deps, echo=lambda line: None)

    assert deps.store.get_forum(forum.forum_id).title == "Edited"


def test_server_concurrent_requests_all_succeed(deps, tmp_path):
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    demo.load(deps, echo=lambda line: None)
    site = tmp_path / "site-concurrent"
    site.mkdir()
    server = make_server("127.0.0.1", 0, create_app(deps, site), threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    statuses = []
    barrier = threading.Barrier(16)

    def fetch(path):
        barrier.wait(timeout=30)
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=30) as response:
            statuses.append(response.status)

    paths = ["/api/forums", "/api/session", "/api/calendar.ics", "/api/openapi.json"] * 4
    workers = [threading.Thread(target=fetch, args=(path,)) for path in paths]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    finally:
        server.shutdown()

    assert statuses == [200] * len(paths)


def test_request_log_hides_query_and_addresses():
    import io
    import logging

    from localdev.server import PrivateRequestHandler

    handler = PrivateRequestHandler.__new__(PrivateRequestHandler)
    handler.path = "/api/admin/advocates/dana.whitfield%40northwind.example?token=secret-token"
    handler.command = "GET"
    handler.client_address = ("127.0.0.1", 5000)
    handler.request_version = "HTTP/1.1"
    stream = io.StringIO()
    log_handler = logging.StreamHandler(stream)
    logging.getLogger("werkzeug").addHandler(log_handler)
    logging.getLogger("werkzeug").setLevel(logging.INFO)
    try:
        handler.log_request(200)
    finally:
        logging.getLogger("werkzeug").removeHandler(log_handler)

    line = stream.getvalue()
    assert "secret-token" not in line
    assert "dana.whitfield" not in line
    assert "***@northwind.example" in line
