"""The command line of the local portal: serve it, import spreadsheets, run scheduled jobs.

Local use only: this module is never packaged into Lambda.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from advocacy.bootstrap import Dependencies, build_dependencies
from advocacy.clock import FixedClock
from advocacy.forms import FormInput
from advocacy.forms.sign_in import AdminForm
from advocacy.handlers import jobs
from advocacy.services import access, forums
from advocacy.services.calendar_import import import_calendar
from advocacy.services.csv_import import ImportReport, InvalidFile
from advocacy.services.roster_import import import_roster
from advocacy.settings import ConfigurationError, Settings
from localdev import demo

REPO_ROOT = Path(__file__).resolve().parent.parent


def _dependencies(args) -> Dependencies:
    clock = None
    if getattr(args, "now", None):
        clock = FixedClock(datetime.fromisoformat(args.now))
    return build_dependencies(Settings.from_environ(), clock)


def _progress(done: int, total: int) -> None:
    # One line rewritten in place, ending with a newline when the work is complete.
    end = "\n" if done == total else ""
    print(f"\r  saved {done} of {total}", end=end, file=sys.stderr, flush=True)


def _print_report(report: ImportReport, noun: str) -> int:
    if not report.ok:
        print(f"Nothing imported: {len(report.problems)} problem(s) to correct first.", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    merged = f", {report.merged} duplicate row(s) merged" if report.merged else ""
    print(f"{noun}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged{merged}.")
    return 0


def build_site(site_dir: Path) -> None:
    """Render the forms into the pages, then build the static site with MkDocs."""
    from portal_site.prebuild import prebuild

    prebuild()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(REPO_ROOT / "portal_site" / "mkdocs.yml"),
         "-d", str(site_dir.resolve())],
        check=True,
        cwd=REPO_ROOT,
    )


def _site_is_stale(site_dir: Path) -> bool:
    index = site_dir / "index.html"
    if not index.exists():
        return True
    built = index.stat().st_mtime
    sources = [REPO_ROOT / "content", REPO_ROOT / "portal_site", REPO_ROOT / "functions" / "advocacy" / "forms"]
    return any(path.stat().st_mtime > built for folder in sources for path in folder.rglob("*") if path.is_file())


def command_serve(args) -> int:
    from localdev.server import JobTimer, PrivateRequestHandler, create_app

    # Emailed links must point at this server unless the environment names another address.
    os.environ.setdefault("ADVOCACY_PORTAL_URL", f"http://{args.host}:{args.port}")
    deps = _dependencies(args)
    site_dir = deps.settings.var_dir / "site"
    if args.rebuild or _site_is_stale(site_dir):
        print("Building the site...", file=sys.stderr)
        build_site(site_dir)
    if not args.no_demo:
        demo.load_once(deps, echo=print)

    timer = JobTimer(deps, interval=args.job_interval)
    timer.start()
    app = create_app(deps, site_dir)
    print(f"Advocacy portal running at http://{args.host}:{args.port}/ (Ctrl+C stops it)")
    print(f"Emails go to {deps.settings.outbox_dir}/; their links are printed here.")
    try:
        app.run(host=args.host, port=args.port, threaded=True, use_reloader=False, request_handler=PrivateRequestHandler)
    finally:
        timer.stop()
    return 0


def command_import_calendar(args) -> int:
    deps = _dependencies(args)
    data = Path(args.file).read_bytes()
    report = import_calendar(
        deps.store,
        data,
        deps.clock.now(),
        progress=_progress,
        on_update=lambda before, after: forums.announce_import_update(deps, before, after),
    )
    return _print_report(report, "Forums")


def command_import_roster(args) -> int:
    deps = _dependencies(args)
    data = Path(args.file).read_bytes()
    mapping = {}
    for pair in args.column or []:
        theirs, separator, ours = pair.partition("=")
        if not separator:
            print(f"error: --column {pair!r} needs the form 'File column=Roster column'.", file=sys.stderr)
            return 2
        mapping[theirs.strip()] = ours.strip()
    report = import_roster(deps.store, data, progress=_progress, column_mapping=mapping)
    return _print_report(report, "Advocates")


def command_run_job(args) -> int:
    deps = _dependencies(args)
    changed = jobs.run_job(args.job, deps)
    print(f"{args.job}: {changed} item(s) changed.")
    return 0


def command_add_admin(args) -> int:
    form = AdminForm(formdata=FormInput({"email": args.email}))
    if not form.validate():
        print(f"error: {form.errors['email'][0]} Got {args.email!r}.", file=sys.stderr)
        return 2
    deps = _dependencies(args)
    email_key = access.add_admin(deps, form.email.data, added_by="command line")
    print(f"{email_key} is an admin; they sign in on the portal's /sign-in/ page.")
    return 0


def command_build_site(args) -> int:
    settings = Settings.from_environ()
    site_dir = Path(args.output) if args.output else settings.var_dir / "site"
    build_site(site_dir)
    print(f"Site built in {site_dir}/")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="advocacy-portal", description=__doc__.splitlines()[0])
    root.add_argument("--now", help="pretend the current instant is this ISO-8601 time, e.g. 2027-01-10T09:00+00:00")
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="build the site if needed, load the demo data once, and serve the portal")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    serve.add_argument("--no-demo", action="store_true", help="do not load the demo calendar and roster")
    serve.add_argument("--rebuild", action="store_true", help="rebuild the site even if it looks current")
    serve.add_argument("--job-interval", type=float, default=60.0, help="seconds between scheduled job runs (default: 60)")
    serve.set_defaults(handler=command_serve)

    calendar = commands.add_parser("import-calendar", help="import a forum calendar CSV (all rows or none)")
    calendar.add_argument("file", help="CSV file with the columns of the demo calendar")
    calendar.set_defaults(handler=command_import_calendar)

    roster = commands.add_parser("import-roster", help="import an advocate roster CSV (all rows or none)")
    roster.add_argument("file", help="CSV file with the columns of the demo roster")
    roster.add_argument(
        "--column",
        action="append",
        metavar="'FILE COLUMN=ROSTER COLUMN'",
        help="map a column of the file to a roster column, e.g. --column 'E-mail=Email'; repeat for each",
    )
    roster.set_defaults(handler=command_import_roster)

    job = commands.add_parser("run-job", help="run one scheduled job now")
    job.add_argument("job", choices=sorted(jobs.JOBS), help="the job to run")
    job.set_defaults(handler=command_run_job)

    admin = commands.add_parser("add-admin", help="make an address an admin (the first admin is added this way)")
    admin.add_argument("email", help="the admin's email address")
    admin.set_defaults(handler=command_add_admin)

    site = commands.add_parser("build-site", help="build the static site")
    site.add_argument("--output", help="folder for the built site (default: var/site)")
    site.set_defaults(handler=command_build_site)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ConfigurationError, InvalidFile) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"error: no such file: {error.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
