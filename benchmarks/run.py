"""Measure the registration path side by side and write the results to docs/benchmarks.md.

Run from the repository root: ``.venv/bin/python benchmarks/run.py``. Every measurement is
bounded in count, runs in this process or against a server on 127.0.0.1, and stops by itself.

What it compares, in one run on one machine, so the ratios hold even where absolute times do
not (shared CI machines are noisy):

1. the store alone: register and confirm N prospects on SQLite and on DynamoDB (moto);
2. the whole local stack: the same through HTTP to the Flask server, sequential and with
   several client threads;
3. the calendar read that every page view makes, on both stores.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "functions")]

from werkzeug.serving import make_server  # noqa: E402

from advocacy.adapters.outbox_mailer import OutboxMailer  # noqa: E402
from advocacy.adapters.sqlite_store import SQLiteStore  # noqa: E402
from advocacy.bootstrap import Dependencies  # noqa: E402
from advocacy.clock import FixedClock  # noqa: E402
from advocacy.domain.forums import ForumFormat  # noqa: E402
from advocacy.settings import Settings  # noqa: E402
from localdev.server import create_app  # noqa: E402
from tests.factories import NOW, make_forum, make_registration  # noqa: E402
from tests.support.moto_dynamodb import moto_dynamodb_store  # noqa: E402


def timed(action: Callable[[], None], repeats: int) -> list[float]:
    """Run ``action`` ``repeats`` times and return the seconds each run took."""
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return durations


def store_registrations(store, count: int) -> Callable[[], None]:
    """Register and confirm ``count`` prospects on a fresh forum of the store, per run."""
    runs = iter(range(1_000_000))

    def action() -> None:
        forum = make_forum(f"bench-{next(runs)}", capacity=count // 2, forum_format=ForumFormat.REFERENCE_FORUM)
        store.save_forum(forum)
        for _ in range(count):
            registration = make_registration(forum.forum_id)
            store.add_registration(registration, NOW)
            store.confirm_registration(forum.forum_id, registration.registration_id, NOW)

    return action


def calendar_reads(store, count: int) -> Callable[[], None]:
    def action() -> None:
        for _ in range(count):
            store.list_upcoming_forums(NOW)

    return action


# Shared by every HTTP measurement, so each run registers new addresses.
HTTP_RUNS = iter(range(1_000_000))


def http_registrations(base_url: str, forum_id: str, count: int, threads: int) -> Callable[[], None]:
    """POST ``count`` registrations to the local server from ``threads`` client threads."""
    runs = HTTP_RUNS

    def post(index: int, run: int) -> None:
        body = json.dumps(
            {
                "name": "Bench Prospect", "email": f"p{run}-{index}@bench.example", "company": "Bench",
                "job_title": "CIO", "time_zone": "Europe/Berlin", "consent": True,
            }
        ).encode()
        request = urllib.request.Request(
            f"{base_url}/api/forums/{forum_id}/registrations", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def action() -> None:
        run = next(runs)
        indexes = iter(range(count))
        lock = threading.Lock()

        def worker() -> None:
            while True:
                with lock:
                    index = next(indexes, None)
                if index is None:
                    return
                post(index, run)

        workers = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(timeout=300)

    return action


def summary(name: str, durations: list[float], operations: int) -> dict:
    median = statistics.median(durations)
    return {"name": name, "median_seconds": median, "operations": operations, "per_second": operations / median}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="registrations per run (default: 200)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median counts (default: 3)")
    parser.add_argument("--output", default=str(REPO / "docs" / "benchmarks.md"), help="Markdown file to write")
    args = parser.parse_args()
    results = []
    # One access-log line per request would cost more than some of the requests measured.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as folder:
        sqlite_store = SQLiteStore(Path(folder) / "bench.sqlite3")
        print(f"store: {args.count} registrations per run on SQLite ...", file=sys.stderr)
        results.append(summary("SQLite store: register + confirm", timed(store_registrations(sqlite_store, args.count), args.repeats), args.count))
        with moto_dynamodb_store() as dynamodb_store:
            print(f"store: {args.count} registrations per run on DynamoDB (moto) ...", file=sys.stderr)
            results.append(summary("DynamoDB (moto) store: register + confirm", timed(store_registrations(dynamodb_store, args.count), args.repeats), args.count))
            for store, name in ((sqlite_store, "SQLite"), (dynamodb_store, "DynamoDB (moto)")):
                results.append(summary(f"{name} store: calendar read", timed(calendar_reads(store, args.count), args.repeats), args.count))

        settings = Settings.from_environ({"ADVOCACY_VAR_DIR": folder})
        deps = Dependencies(
            settings=settings,
            store=SQLiteStore(Path(folder) / "server.sqlite3"),
            mailer=OutboxMailer(settings.outbox_dir, settings.sender, echo=lambda line: None),
            clock=FixedClock(NOW),
            signing_key=b"b" * 32,
        )
        forum = make_forum("bench-http", capacity=1000, forum_format=ForumFormat.REFERENCE_FORUM)
        deps.store.save_forum(forum)
        site = Path(folder) / "site"
        site.mkdir()
        server = make_server("127.0.0.1", 0, create_app(deps, site), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_port}"
        try:
            for threads in (1, 4):
                print(f"http: {args.count} registrations per run, {threads} client thread(s) ...", file=sys.stderr)
                durations = timed(http_registrations(base_url, forum.forum_id, args.count, threads), args.repeats)
                results.append(summary(f"Local server over HTTP, {threads} client thread(s): register", durations, args.count))
        finally:
            server.shutdown()

    write_report(Path(args.output), results, args)
    for result in results:
        print(f"{result['name']}: {result['per_second']:.0f}/s", file=sys.stderr)
    return 0


def write_report(path: Path, results: list[dict], args) -> None:
    baseline = results[0]["per_second"]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `benchmarks/run.py` (run it with `.venv/bin/python benchmarks/run.py`); this page is",
        "its output. Each figure is the median of the runs; the ratio compares each line with the first,",
        "measured in the same run on the same machine. Absolute numbers vary from machine to machine and",
        "from run to run; the ratios are the part to compare.",
        "",
        f"Run on {datetime.now(timezone.utc):%Y-%m-%d} with Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}), {args.count} operations per run, {args.repeats} runs.",
        "",
        "| measurement | median seconds per run | operations per second | ratio to the first line |",
        "| --- | --- | --- | --- |",
    ]
    for result in results:
        lines.append(
            f"| {result['name']} | {result['median_seconds']:.3f} | {result['per_second']:.0f} | {result['per_second'] / baseline:.2f} |"
        )
    lines += [
        "",
        "Notes:",
        "",
        "- moto runs DynamoDB in this process, so its figures measure the adapter's request count and",
        "  moto's emulation, not AWS latency. A confirmation makes three requests on DynamoDB (read,",
        "  arrival number, transaction) against one transaction on SQLite.",
        "- The HTTP lines include Flask, the API Gateway event translation, Powertools routing, WTForms",
        "  validation and writing each confirmation email to the outbox folder.",
        "- SQLite serializes writers, so more client threads add little: the store's write lock, not",
        "  the server, bounds local registration throughput.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
