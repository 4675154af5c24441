"""Admin routes for reports and CSV exports; part of the admin function (admins only).

Every report takes ``from`` and ``to`` (dates, YYYY-MM-DD; default: the last twelve months),
and every report and list can be downloaded as CSV that opens cleanly in Excel.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from advocacy.domain.advocates import AdvocateStatus
from advocacy.handlers.http import dependencies, json_response, validation_response
from advocacy.handlers.representations import utc_text
from advocacy.services import reports
from advocacy.services.csv_export import to_csv

router = Router()


class InvalidPeriod(ValueError):
    pass


def _period() -> tuple[datetime, datetime]:
    event = router.current_event
    today = dependencies.get().clock.now().date()
    try:
        first = date.fromisoformat(event.get_query_string_value("from") or (today - timedelta(days=365)).isoformat())
        last = date.fromisoformat(event.get_query_string_value("to") or today.isoformat())
    except ValueError:
        raise InvalidPeriod("Use dates such as 2027-01-01 for from and to.") from None
    if last < first:
        raise InvalidPeriod("The period ends before it starts: make to the same as from or later.")
    since = datetime.combine(first, time.min, tzinfo=timezone.utc)
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=timezone.utc)
    return since, until


def _rows_json(rows: list[reports.ReportRow]) -> list[dict]:
    return [{"key": row.key, "amount": row.amount, "count": row.count} for row in rows]


def _outcome_json(outcome: reports.ForumOutcome) -> dict:
    return {
        "forum_id": outcome.forum_id,
        "title": outcome.title,
        "starts_at": utc_text(outcome.starts_at),
        "status": outcome.status,
        "registrations": outcome.registrations,
        "confirmed": outcome.confirmed,
        "attended": outcome.attended,
        "attendance_rate": outcome.attendance_rate,
        "feedback_count": outcome.feedback_count,
        "average_rating": outcome.average_rating,
    }


@router.get("/api/admin/reports", summary="Influenced revenue, activity mix, forum outcomes and program health")
def get_reports() -> Response[dict]:
    deps = dependencies.get()
    try:
        since, until = _period()
    except InvalidPeriod as error:
        return validation_response({"from": str(error)})

    influence = reports.influence_report(deps, since, until)
    activities = reports.activities_by_type(deps, since, until)
    outcomes = reports.forum_outcomes(deps, since, until)
    health = reports.program_health(deps, since, until)

    return json_response(
        200,
        {
            "from": since.date().isoformat(),
            "to": (until.date() - timedelta(days=1)).isoformat(),
            "influence": {name: _rows_json(rows) for name, rows in influence.items()},
            "activities": _rows_json(activities),
            "forums": [_outcome_json(outcome) for outcome in outcomes],
            "health": {
                "nominations_waiting": health.nominations_waiting,
                "stale_profiles": health.stale_profiles,
                "advocates_at_cap": health.advocates_at_cap,
                "points_issued": health.points_issued,
            },
        },
    )


def _csv_response(name: str, header: list[str], rows) -> Response[str]:
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=to_csv(header, rows).decode("utf-8"),
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"},
    )


REPORT_NAMES = ("influence-quarter", "influence-advocate", "influence-forum", "influence-industry", "influence-region", "activities", "forums", "health")


@router.get("/api/admin/reports/<name>.csv", summary="One report as CSV (UTF-8 with a byte-order mark)")
def report_csv(name: str) -> Response[dict | str]:
    deps = dependencies.get()
    if name not in REPORT_NAMES:
        return json_response(404, {"message": f"No report {name!r}; choose one of: {', '.join(REPORT_NAMES)}."})
    try:
        since, until = _period()
    except InvalidPeriod as error:
        return validation_response({"from": str(error)})

    if name.startswith("influence-"):
        dimension = name.removeprefix("influence-")
        rows = reports.influence_report(deps, since, until)[dimension]
        return _csv_response(name, [dimension.capitalize(), "Influenced amount", "Opportunities"], [(r.key, r.amount, r.count) for r in rows])
    if name == "activities":
        rows = reports.activities_by_type(deps, since, until)
        return _csv_response(name, ["Activity type", "Activities"], [(r.key, r.count) for r in rows])
    if name == "forums":
        outcomes = reports.forum_outcomes(deps, since, until)
        return _csv_response(
            name,
            ["Forum", "Title", "Starts (UTC)", "Status", "Registrations", "Confirmed", "Attended", "Attendance rate", "Feedback", "Average rating"],
            [
                (o.forum_id, o.title, utc_text(o.starts_at), o.status, o.registrations, o.confirmed, o.attended, o.attendance_rate, o.feedback_count, o.average_rating)
                for o in outcomes
            ],
        )
    health = reports.program_health(deps, since, until)
    return _csv_response(
        name,
        ["Measure", "Value"],
        [
            ("Nominations waiting", health.nominations_waiting),
            ("Stale profiles", health.stale_profiles),
            ("Advocates at or over their caps", len(health.advocates_at_cap)),
            ("Points issued", health.points_issued),
        ],
    )


@router.get("/api/admin/exports/registrations.csv", summary="Every registration of forums in the period, as CSV")
def registrations_csv() -> Response[dict | str]:
    deps = dependencies.get()
    try:
        since, until = _period()
    except InvalidPeriod as error:
        return validation_response({"from": str(error)})

    rows = []
    for forum in deps.store.list_forums(since, until):
        for r in deps.store.list_registrations(forum.forum_id):
            rows.append(
                (
                    forum.forum_id, forum.title, r.registration_id, r.status.value, r.name, r.email, r.company, r.job_title,
                    r.opportunity_id, r.opportunity_amount, r.sales_rep_email, "" if r.attended is None else ("yes" if r.attended else "no"),
                    r.feedback_rating, r.questions,
                )
            )

    return _csv_response(
        "registrations",
        ["Forum", "Forum title", "Registration", "Status", "Name", "Email", "Company", "Job title", "Opportunity ID", "Amount",
         "Sales rep", "Attended", "Rating", "Questions"],
        rows,
    )


@router.get("/api/admin/exports/advocates.csv", summary="Every advocate, as CSV")
def advocates_csv() -> Response[str]:
    deps = dependencies.get()

    advocates = deps.store.list_advocates(list(AdvocateStatus))

    return _csv_response(
        "advocates",
        ["Email", "First name", "Last name", "Company", "Title", "Industry", "Region", "Country", "Products", "Persona",
         "Languages", "Status", "Max activities per quarter", "Last verified"],
        [
            (a.email, a.first_name, a.last_name, a.company, a.title, a.industry, a.region, a.country, "; ".join(a.products),
             a.persona, "; ".join(a.languages), a.status.value, a.max_activities_per_quarter,
             a.last_verified.isoformat() if a.last_verified else "")
            for a in advocates
        ],
    )
