"""The forms of rewards: redeeming, deciding redemptions, adjustments, the catalog, rules and tiers."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from advocacy.domain.activities import ActivityType
from advocacy.domain.rewards import (
    MAX_ADJUSTMENT,
    MAX_POINTS_PER_ACTIVITY,
    MAX_REWARD_POINTS,
    MAX_STOCK,
    MAX_TIERS,
)
from advocacy.forms import PortalForm
from advocacy.forms.registration import EMAIL_MAX

REWARD_NAME_MAX = 120
REWARD_DESCRIPTION_MAX = 2000
NOTE_MAX = 1000
REASON_MAX = 500
TIER_NAME_MAX = 40


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole_number(label: str) -> str:
    return f"Enter {label} as a whole number."


class RedeemForm(PortalForm):
    reward_id = StringField(
        "Reward",
        filters=[_strip],
        validators=[InputRequired("Pick a reward from the catalog."), Length(max=64)],
    )
    # A random id the page creates once per redeem button press, so a resubmitted request
    # returns the first redemption instead of holding the points twice.
    request_id = StringField(
        "Request id",
        filters=[_strip],
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z0-9_-]{8,64}$", message="Send 8 to 64 letters, digits, dashes or underscores."),
        ],
    )


class FulfillForm(PortalForm):
    note = TextAreaField(
        "Note to the advocate (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=NOTE_MAX)],
        description="For example the tracking number of the parcel.",
    )


class DeclineForm(PortalForm):
    note = TextAreaField(
        "Why the request is declined",
        filters=[_strip],
        validators=[InputRequired("Say why the request is declined; the advocate reads it."), Length(max=NOTE_MAX)],
    )


class AdjustmentForm(PortalForm):
    email = EmailField(
        "Advocate's email address",
        filters=[_strip],
        validators=[
            InputRequired("Enter the advocate's email address."),
            Length(max=EMAIL_MAX),
            Email("Enter an email address such as name@company.com.", check_deliverability=False),
        ],
    )
    points = IntegerField(
        "Points (negative to deduct)",
        validators=[
            InputRequired(_whole_number("the points to add or deduct")),
            NumberRange(-MAX_ADJUSTMENT, MAX_ADJUSTMENT, message=f"Enter a number from -{MAX_ADJUSTMENT} to {MAX_ADJUSTMENT}."),
        ],
    )
    reason = StringField(
        "Reason",
        filters=[_strip],
        validators=[InputRequired("Say why the points are adjusted; the advocate sees the reason."), Length(max=REASON_MAX)],
    )


class RewardForm(PortalForm):
    name = StringField(
        "Name", filters=[_strip], validators=[InputRequired("Name the reward."), Length(max=REWARD_NAME_MAX)]
    )
    description = TextAreaField(
        "Description", filters=[_strip], validators=[Optional(), Length(max=REWARD_DESCRIPTION_MAX)]
    )
    points = IntegerField(
        "Points it costs",
        validators=[
            InputRequired(_whole_number("the points the reward costs")),
            NumberRange(1, MAX_REWARD_POINTS, message=f"Enter a number from 1 to {MAX_REWARD_POINTS}."),
        ],
    )
    stock = IntegerField(
        "Stock (empty for unlimited)",
        validators=[Optional(), NumberRange(0, MAX_STOCK, message=f"Enter a number from 0 to {MAX_STOCK}, or leave it empty.")],
    )
    active = BooleanField("In the catalog (advocates can redeem it)")


class RewardUpdateForm(RewardForm):
    # The version the admin loaded; the update applies only if the reward has not changed since.
    version = IntegerField(
        "Version", validators=[InputRequired("Send the reward's version as loaded."), NumberRange(min=1)]
    )


def _points_field(activity_type: ActivityType) -> IntegerField:
    return IntegerField(
        f"Points per activity: {activity_type.label}",
        validators=[
            InputRequired(_whole_number(f"the points per activity of type {activity_type.label.lower()}")),
            NumberRange(0, MAX_POINTS_PER_ACTIVITY, message=f"Enter a number from 0 to {MAX_POINTS_PER_ACTIVITY}."),
        ],
    )


class PointsRulesForm(PortalForm):
    """Points per activity type, and the bonus per attending prospect with its cap."""

    reference_forum = _points_field(ActivityType.REFERENCE_FORUM)
    limited_group_event = _points_field(ActivityType.LIMITED_GROUP_EVENT)
    one_to_one_call = _points_field(ActivityType.ONE_TO_ONE_CALL)
    case_study = _points_field(ActivityType.CASE_STUDY)
    speaking = _points_field(ActivityType.SPEAKING)
    review = _points_field(ActivityType.REVIEW)
    advisory_board = _points_field(ActivityType.ADVISORY_BOARD)
    press = _points_field(ActivityType.PRESS)
    bonus_per_attending_prospect = IntegerField(
        "Bonus per attending prospect",
        default=0,
        validators=[Optional(), NumberRange(0, MAX_POINTS_PER_ACTIVITY, message=f"Enter a number from 0 to {MAX_POINTS_PER_ACTIVITY}.")],
        description="Added to one-to-many activities for each prospect who attended; 0 for none.",
    )
    bonus_cap = IntegerField(
        "Maximum bonus per activity",
        default=0,
        validators=[Optional(), NumberRange(0, MAX_POINTS_PER_ACTIVITY, message=f"Enter a number from 0 to {MAX_POINTS_PER_ACTIVITY}.")],
    )


class TierForm(PortalForm):
    name = StringField("Tier name", filters=[_strip], validators=[InputRequired("Name the tier."), Length(max=TIER_NAME_MAX)])
    threshold = IntegerField(
        "Lifetime points from",
        validators=[InputRequired(_whole_number("the tier's threshold")), NumberRange(0, 100_000_000)],
    )


class TiersForm(PortalForm):
    tiers = FieldList(FormField(TierForm), min_entries=1)


def tiers_form_input(body: dict) -> dict:
    """Flatten ``{"tiers": [{"name": ..., "threshold": ...}]}`` into the ``tiers-0-name`` keys WTForms reads.

    One entry more than MAX_TIERS is kept, so that the count check can reject a longer list.
    """
    flat: dict = {}
    tiers = body.get("tiers")
    if not isinstance(tiers, list):
        return flat
    for index, tier in enumerate(tiers[: MAX_TIERS + 1]):
        if isinstance(tier, dict):
            flat[f"tiers-{index}-name"] = tier.get("name")
            flat[f"tiers-{index}-threshold"] = tier.get("threshold")
    return flat


def tiers_form_errors(form: TiersForm) -> dict[str, str]:
    """Return the first error of each invalid tier field, keyed like ``tiers-1-threshold``."""
    errors: dict[str, str] = {}
    for index, entry in enumerate(form.tiers.entries):
        for name, messages in entry.form.errors.items():
            if messages:
                errors[f"tiers-{index}-{name}"] = messages[0]
    return errors
