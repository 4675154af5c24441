"""Who may call each rewards route: rows for the access matrix in test_access_matrix.py.

The advocate routes take no id: they act on the session's own advocate, so advocate A cannot
name advocate B's points. Admin routes that take a reward or redemption id get an id that does
not exist, so an admin's request passes the role check and reaches the service (404).
"""

from __future__ import annotations

from tests.api.test_access_matrix import ADVOCATE_A, SIGNED_IN, Route


class IdPath(str):
    """A route path whose reward and redemption ids the matrix fills with an unknown id.

    The matrix formats paths with its own values (forum, registration, email) only; this keeps
    the path equal to the documented route while supplying the ids that the matrix lacks.
    """

    UNKNOWN_IDS = {"reward_id": "no-such-reward", "redemption_id": "no-such-redemption"}

    def format(self, *args, **values) -> str:
        return str.format(self, *args, **{**self.UNKNOWN_IDS, **values})


ADVOCATE_ONLY = {**SIGNED_IN, "advocate": 200, "other_advocate": 200, "admin": 403}


def admin_only(status: int) -> dict[str, int]:
    return {**SIGNED_IN, "advocate": 403, "other_advocate": 403, "admin": status}


REWARD_BODY = {"name": "Conference pass", "description": "", "points": 500, "stock": 3, "active": True}
RULES_BODY = {
    "reference_forum": 300, "limited_group_event": 200, "one_to_one_call": 100, "case_study": 500, "speaking": 400,
    "review": 150, "advisory_board": 250, "press": 300, "bonus_per_attending_prospect": 5, "bonus_cap": 100,
}

ROWS = [
    Route("GET", "/api/me/rewards", ADVOCATE_ONLY),
    Route("GET", "/api/me/rewards/ledger", ADVOCATE_ONLY),
    Route("GET", "/api/me/rewards/catalog", ADVOCATE_ONLY),
    Route("GET", "/api/me/rewards/redemptions", ADVOCATE_ONLY),
    Route(
        "POST", "/api/me/rewards/redemptions", {**ADVOCATE_ONLY, "advocate": 404, "other_advocate": 404},
        body={"reward_id": "no-such-reward"},
    ),
    Route("GET", "/api/admin/rewards/redemptions", admin_only(200)),
    Route("POST", IdPath("/api/admin/rewards/redemptions/{redemption_id}/fulfill"), admin_only(404)),
    Route("POST", IdPath("/api/admin/rewards/redemptions/{redemption_id}/decline"), admin_only(404), body={"note": "Sorry"}),
    Route("GET", "/api/admin/rewards/advocates/{email}", admin_only(200)),
    Route(
        "POST", "/api/admin/rewards/adjustments", admin_only(201),
        body={"email": ADVOCATE_A, "points": 10, "reason": "Welcome bonus"},
    ),
    Route("GET", "/api/admin/rewards/catalog", admin_only(200)),
    Route("POST", "/api/admin/rewards/catalog", admin_only(201), body=REWARD_BODY),
    Route("PUT", IdPath("/api/admin/rewards/catalog/{reward_id}"), admin_only(404), body={**REWARD_BODY, "version": 1}),
    Route("DELETE", IdPath("/api/admin/rewards/catalog/{reward_id}"), admin_only(404)),
    Route("GET", "/api/admin/rewards/rules", admin_only(200)),
    Route("PUT", "/api/admin/rewards/rules", admin_only(200), body=RULES_BODY),
    Route("GET", "/api/admin/rewards/tiers", admin_only(200)),
    Route("PUT", "/api/admin/rewards/tiers", admin_only(200), body={"tiers": [{"name": "Member", "threshold": 0}]}),
    Route("GET", "/api/admin/rewards/issued", admin_only(200)),
]
