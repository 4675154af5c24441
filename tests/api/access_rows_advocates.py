"""Who may call each nomination, self-service, directory and roster route: rows for the access matrix.

Advocate routes take no id: they act on the session's own advocate, so advocate A cannot name
advocate B's profile or data. Admin routes that take a nomination id get one that does not
exist, so an admin's request passes the role check and reaches the service (404).
"""

from __future__ import annotations

from tests.api.test_access_matrix import ADVOCATE_A, SIGNED_IN, Route, everyone


class NominationPath(str):
    """A route path whose nomination id the matrix fills with an unknown id.

    The matrix formats paths with its own values (forum, registration, email) only. This class
    keeps the path equal to the documented route and supplies the id that the matrix lacks.
    """

    def format(self, *args, **values) -> str:
        return str.format(self, *args, **{"nomination_id": "no-such-nomination", **values})


ADVOCATE_ONLY = {**SIGNED_IN, "advocate": 200, "other_advocate": 200, "admin": 403}


def admin_only(status: int) -> dict[str, int]:
    return {**SIGNED_IN, "advocate": 403, "other_advocate": 403, "admin": status}


NOMINEE = {"name": "Robin Customer", "email": "robin@customer-c.example", "company": "Customer C", "role": "CIO"}
ROSTER_CSV = (
    "First Name,Last Name,Email,Account Name,Title,Industry,Billing Country,Products,Persona,Reference Status,"
    "Activities Willing,Max Activities per Quarter,Last Verified,Notes\r\n"
    "Robin,Customer,robin@customer-c.example,Customer C,CIO,Retail,France,Insight Cloud,IT leader,Active,"
    "Reference forum,2,2026-12-01,\r\n"
)

ROWS = [
    Route("POST", "/api/nominations", everyone(202), body={**NOMINEE, "consent": True}),
    # No company domain is configured in the matrix, so every caller meets the domain rule.
    Route(
        "POST", "/api/nominations/internal", everyone(422),
        body={**NOMINEE, "nominator_name": "Sam", "nominator_email": "sam@vendor.example", "relationship": "support", "reason": "Fan"},
    ),
    Route("POST", "/api/nominations/confirm", everyone(404), body={"nomination_id": "no-such-nomination", "token": "x"}),
    Route("PUT", "/api/me/profile", ADVOCATE_ONLY, body={"first_name": "A", "title": "CIO", "company": "Customer A"}),
    Route("PUT", "/api/me/preferences", ADVOCATE_ONLY, body={"max_activities_per_quarter": 2}),
    Route("POST", "/api/me/profile/confirm", ADVOCATE_ONLY),
    Route("GET", "/api/me/activities", ADVOCATE_ONLY),
    Route("GET", "/api/me/data", ADVOCATE_ONLY),
    # Both advocate audiences are signed in as A and confirm with A's address.
    Route("POST", "/api/me/erasure", ADVOCATE_ONLY, body={"confirm_email": ADVOCATE_A}),
    Route("GET", "/api/admin/nominations", admin_only(200)),
    Route("POST", "/api/admin/nominations", admin_only(201), body=NOMINEE),
    Route("GET", NominationPath("/api/admin/nominations/{nomination_id}"), admin_only(404)),
    Route("POST", NominationPath("/api/admin/nominations/{nomination_id}/status"), admin_only(404), body={"status": "contacted"}),
    Route("POST", NominationPath("/api/admin/nominations/{nomination_id}/notes"), admin_only(404), body={"note": "Called"}),
    Route("POST", NominationPath("/api/admin/nominations/{nomination_id}/approve"), admin_only(404)),
    Route("POST", NominationPath("/api/admin/nominations/{nomination_id}/decline"), admin_only(404)),
    Route("GET", "/api/admin/advocates", admin_only(200)),
    Route("GET", "/api/admin/advocates/{email}/availability", admin_only(200)),
    Route("GET", "/api/admin/stale-profiles", admin_only(200)),
    Route("POST", "/api/admin/roster", admin_only(200), body={"csv": ROSTER_CSV}),
]
