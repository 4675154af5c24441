"""Access matrix rows for the calendar feed, feedback and the admin's forum routes."""

from __future__ import annotations

from tests.api.test_access_matrix import SIGNED_IN, Route, everyone

ADMIN_ONLY = {**SIGNED_IN, "advocate": 403, "other_advocate": 403}
FORUM_FORM = {
    "title": "Matrix forum", "format": "reference_forum", "date": "2027-02-10", "start_time": "10:00",
    "time_zone": "Europe/Paris", "duration_minutes": 60, "capacity": 40,
}
CALENDAR_CSV = (
    "Title,Format,Date,Start time,Time zone,Duration (min),Capacity,Host email,Industry,Product,Region,Language,Chaperoned,Description\r\n"
    "Imported forum,Reference forum,2027-03-01,10:00,Europe/Paris,60,40,host@customer.example,Retail,Insight,EMEA,French,No,Text\r\n"
)

ROWS = [
    Route("GET", "/api/calendar.ics", everyone(200)),
    # The matrix's registration is still unconfirmed, so its owner reaches the rule, not the data.
    Route("POST", "/api/forums/{forum_id}/registrations/{registration_id}/feedback", {**everyone(404), "prospect": 409}, body={"rating": 5}),
    Route("GET", "/api/admin/forums", {**ADMIN_ONLY, "admin": 200}),
    Route("POST", "/api/admin/forums", {**ADMIN_ONLY, "admin": 201}, body=FORUM_FORM),
    Route("POST", "/api/admin/forums/import", {**ADMIN_ONLY, "admin": 200}, body={"csv": CALENDAR_CSV}),
    Route("GET", "/api/admin/forums/{forum_id}", {**ADMIN_ONLY, "admin": 200}),
    Route("PUT", "/api/admin/forums/{forum_id}", {**ADMIN_ONLY, "admin": 200}, body=FORUM_FORM),
    # Already published: an admin passes the role check and meets the lifecycle rule.
    Route("POST", "/api/admin/forums/{forum_id}/publish", {**ADMIN_ONLY, "admin": 409}),
    Route("POST", "/api/admin/forums/{forum_id}/unpublish", {**ADMIN_ONLY, "admin": 200}),
    Route("POST", "/api/admin/forums/{forum_id}/cancel", {**ADMIN_ONLY, "admin": 200}),
    Route("POST", "/api/admin/forums/{forum_id}/complete", {**ADMIN_ONLY, "admin": 409}),
    Route("POST", "/api/admin/forums/{forum_id}/recording", {**ADMIN_ONLY, "admin": 200}, body={"recording_url": "https://video.example/r"}),
    Route("POST", "/api/admin/forums/{forum_id}/attendance", {**ADMIN_ONLY, "admin": 200}, body={"csv": "Email\r\nsomeone@buyer.example\r\n"}),
    Route(
        "POST", "/api/admin/forums/{forum_id}/opportunities", {**ADMIN_ONLY, "admin": 200},
        body={"csv": "Email,Opportunity ID,Amount\r\nowner@buyer.example,OPP-1,1000\r\n"},
    ),
    Route("GET", "/api/admin/forums/{forum_id}/briefing.csv", {**ADMIN_ONLY, "admin": 200}),
    Route("PUT", "/api/admin/forums/{forum_id}/registrations/{registration_id}", {**ADMIN_ONLY, "admin": 200}, body={"attended": True}),
]
