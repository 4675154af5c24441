"""Rewards use cases: awarding activities, redeeming rewards, and the admin's rules and catalog.

Every change of points goes through the store in one atomic write with its ledger entry; this
module decides what the entry says and whom to email.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace

from aws_lambda_powertools import Logger

from advocacy.bootstrap import Dependencies
from advocacy.domain.access import email_hint
from advocacy.domain.activities import Activity, ActivityType
from advocacy.domain.registrations import normalize_email
from advocacy.domain.rewards import (
    DEFAULT_RULES,
    DEFAULT_TIERS,
    AdvocateNotInProgram,
    LedgerEntry,
    PointsRules,
    QuarterPoints,
    Redemption,
    RedemptionNotFound,
    RedemptionStatus,
    Reward,
    RewardNotFound,
    RewardsAccount,
    Tier,
    TierStanding,
    adjustment_entry,
    award_entry,
    check_pending,
    check_redeemable,
    check_reward_values,
    check_tiers,
    describe_activity,
    hold_entry,
    new_rules_version,
    quarter_bounds,
    redemption_id_for,
    refund_entry,
    sum_quarter,
    tier_standing,
)
from advocacy.ports.mail import OutgoingEmail

logger = Logger(service="advocacy-portal", child=True)


@dataclass(frozen=True)
class RewardsOverview:
    account: RewardsAccount
    standing: TierStanding
    tiers: tuple[Tier, ...]


# Awards


def award_for_activity(deps: Dependencies, activity: Activity) -> LedgerEntry | None:
    """Book the points an activity earns and email the advocate; safe to call any number of times.

    The entry id is ``award:<activity id>`` and the store books it only if no entry has that
    id, so retries and concurrent calls award once. Returns the entry, or None when it was
    already awarded or the rules in effect give the activity no points.
    """
    rules = current_rules_at(deps, activity)
    forum = deps.store.get_forum(activity.forum_id) if activity.forum_id else None
    description = describe_activity(activity, forum.title if forum else "")
    entry = award_entry(activity, rules, description, deps.clock.now())
    if entry.points <= 0:
        logger.info("No points for this activity under the rules in effect", activity_id=activity.activity_id, rules_version=rules.version)
        return None

    if not deps.store.append_ledger_entry(entry):
        logger.info("Activity already awarded", activity_id=activity.activity_id)
        return None

    logger.info(
        "Points awarded",
        activity_id=activity.activity_id,
        advocate=email_hint(activity.advocate_email_key),
        points=entry.points,
        rules_version=rules.version,
    )
    # NOTE: if sending fails, the award stays booked and a retry returns None, so the advocate
    # gets no award email; the ledger still shows the award.
    _send(deps, _award_email(deps, entry))
    return entry


def current_rules_at(deps: Dependencies, activity: Activity) -> PointsRules:
    """Return the rules in effect when the activity was completed, which is when it was recorded."""
    return deps.store.rules_in_effect(activity.recorded_at) or DEFAULT_RULES


# The advocate's view


def rewards_overview(deps: Dependencies, email_key: str) -> RewardsOverview:
    account = deps.store.get_rewards_account(email_key)
    tiers = current_tiers(deps)
    return RewardsOverview(account=account, standing=tier_standing(account.lifetime, tiers), tiers=tiers)


def active_catalog(deps: Dependencies) -> list[Reward]:
    return [reward for reward in deps.store.list_rewards() if reward.active]


def redeem_reward(deps: Dependencies, email_key: str, reward_id: str, request_id: str = "") -> tuple[Redemption, bool]:
    """Hold the reward's points and take one unit of stock for a new pending redemption.

    A ``request_id`` sent again (a double click, a retried request) returns the first
    redemption with False instead of a second one. Raises RewardNotFound, RewardUnavailable,
    OutOfStock or NotEnoughPoints, and then nothing changed.
    """
    reward = deps.store.get_reward(reward_id)
    if reward is None:
        raise RewardNotFound(f"No reward {reward_id!r} in the catalog; reload the catalog and pick one.", field="reward_id")
    if request_id:
        existing = deps.store.get_redemption(redemption_id_for(email_key, request_id))
        if existing is not None:
            return existing, False
    check_redeemable(reward)

    redemption = Redemption(
        redemption_id=redemption_id_for(email_key, request_id) if request_id else secrets.token_hex(10),
        advocate_email_key=email_key,
        reward_id=reward.reward_id,
        reward_name=reward.name,
        points=reward.points,
        status=RedemptionStatus.PENDING,
        requested_at=deps.clock.now(),
    )
    placed, created = deps.store.place_redemption(redemption, hold_entry(redemption), reward)
    if created:
        logger.info("Reward redeemed", redemption_id=placed.redemption_id, reward_id=reward.reward_id, advocate=email_hint(email_key), points=reward.points)
    return placed, created


# Admin: redemptions


def fulfill_redemption(deps: Dependencies, redemption_id: str, admin_email_key: str, note: str) -> Redemption:
    redemption = _require_redemption(deps, redemption_id)
    check_pending(redemption)

    fulfilled = deps.store.fulfill_redemption(redemption, deps.clock.now(), admin_email_key, note)

    logger.info("Redemption fulfilled", redemption_id=redemption_id, admin=email_hint(admin_email_key))
    _send(deps, _fulfilled_email(deps, fulfilled))
    return fulfilled


def decline_redemption(deps: Dependencies, redemption_id: str, admin_email_key: str, note: str) -> Redemption:
    """Decline a pending redemption: its points come back as a refund entry and its stock is returned."""
    redemption = _require_redemption(deps, redemption_id)
    check_pending(redemption)

    declined = deps.store.decline_redemption(redemption, refund_entry(redemption, admin_email_key, note, deps.clock.now()))

    logger.info("Redemption declined", redemption_id=redemption_id, admin=email_hint(admin_email_key), points=redemption.points)
    _send(deps, _declined_email(deps, declined))
    return declined


def _require_redemption(deps: Dependencies, redemption_id: str) -> Redemption:
    redemption = deps.store.get_redemption(redemption_id)
    if redemption is None:
        raise RedemptionNotFound(f"No redemption {redemption_id!r}; reload the list of pending redemptions.")
    return redemption


# Admin: adjustments


def adjust_points(deps: Dependencies, email: str, points: int, reason: str, admin_email_key: str) -> tuple[LedgerEntry, RewardsAccount]:
    """Book a manual adjustment; a negative one may take the balance down to zero, not below."""
    email_key = normalize_email(email)
    if deps.store.get_advocate(email_key) is None:
        raise AdvocateNotInProgram(f"No advocate has the address {email!r}; check the spelling.", field="email")
    now = deps.clock.now()
    entry = adjustment_entry(email_key, points, reason, admin_email_key, now, f"adjustment:{now:%Y%m%dT%H%M%S}:{secrets.token_hex(6)}")

    deps.store.append_ledger_entry(entry)

    logger.info("Points adjusted", advocate=email_hint(email_key), points=points, admin=email_hint(admin_email_key))
    return entry, deps.store.get_rewards_account(email_key)


# Admin: catalog


def add_reward(deps: Dependencies, name: str, description: str, points: int, stock: int | None, active: bool) -> Reward:
    check_reward_values(points, stock)
    now = deps.clock.now()
    reward = Reward(
        reward_id=secrets.token_hex(8),
        name=name,
        description=description,
        points=points,
        active=active,
        created_at=now,
        updated_at=now,
        stock=stock,
    )

    deps.store.add_reward(reward)

    logger.info("Reward added", reward_id=reward.reward_id, points=points, stock=stock)
    return reward


def update_reward(
    deps: Dependencies,
    reward_id: str,
    expected_version: int,
    name: str,
    description: str,
    points: int,
    stock: int | None,
    active: bool,
) -> Reward:
    """Replace a reward's details, unless a redemption or another admin changed it since ``expected_version``."""
    check_reward_values(points, stock)
    current = deps.store.get_reward(reward_id)
    if current is None:
        raise RewardNotFound(f"No reward {reward_id!r} in the catalog; reload the catalog.")
    changed = replace(
        current, name=name, description=description, points=points, stock=stock, active=active, updated_at=deps.clock.now()
    )

    updated = deps.store.update_reward(changed, expected_version)

    logger.info("Reward updated", reward_id=reward_id, version=updated.version)
    return updated


def delete_reward(deps: Dependencies, reward_id: str) -> None:
    if not deps.store.delete_reward(reward_id):
        raise RewardNotFound(f"No reward {reward_id!r} in the catalog; reload the catalog.")
    logger.info("Reward deleted", reward_id=reward_id)


# Admin: rules, tiers and reports


def current_rules(deps: Dependencies) -> PointsRules:
    return deps.store.rules_in_effect(deps.clock.now()) or DEFAULT_RULES


def save_rules(
    deps: Dependencies,
    points_by_type: Mapping[ActivityType, int],
    bonus_per_attending_prospect: int,
    bonus_cap: int,
    admin_email_key: str,
) -> PointsRules:
    """Save a new rules version, in effect for activities completed from now on."""
    now = deps.clock.now()
    previous = deps.store.rules_in_effect(now) or DEFAULT_RULES
    rules = new_rules_version(previous, points_by_type, bonus_per_attending_prospect, bonus_cap, now, admin_email_key)

    deps.store.save_points_rules(rules)

    logger.info("Points rules saved", version=rules.version, admin=email_hint(admin_email_key))
    return rules


def current_tiers(deps: Dependencies) -> tuple[Tier, ...]:
    return deps.store.get_tiers() or DEFAULT_TIERS


def save_tiers(deps: Dependencies, tiers: tuple[Tier, ...], admin_email_key: str) -> tuple[Tier, ...]:
    cleaned = check_tiers(tuple(Tier(tier.name.strip(), tier.threshold) for tier in tiers))

    deps.store.save_tiers(cleaned, admin_email_key, deps.clock.now())

    logger.info("Tiers saved", tiers=len(cleaned), admin=email_hint(admin_email_key))
    return cleaned


def points_per_quarter(deps: Dependencies, year: int) -> list[QuarterPoints]:
    """Sum the ledger of every advocate per calendar quarter (UTC) of ``year``."""
    quarters = []
    for quarter in range(1, 5):
        since, until = quarter_bounds(year, quarter)
        quarters.append(sum_quarter(f"{year}-Q{quarter}", deps.store.list_ledger_between(since, until)))
    return quarters


# Emails


def _send(deps: Dependencies, email: OutgoingEmail) -> None:
    """Send a rewards email, unless its advocate erased their account and has no address left."""
    if "@" not in email.to_address:
        logger.info("Rewards email skipped: the advocate was erased", kind=email.kind)
        return
    deps.mailer.send(email)


def _rewards_email(
    deps: Dependencies, kind: str, email_key: str, subject: str, paragraphs: list[str]
) -> OutgoingEmail:
    advocate = deps.store.get_advocate(email_key)
    name = advocate.display_name if advocate else ""
    greeting = f"Hello {name}," if name else "Hello,"
    url = f"{deps.settings.portal_url}/account/rewards/"
    action = "See your points and rewards"
    text_lines = [greeting, "", *[line for paragraph in paragraphs for line in (paragraph, "")], f"{action}: {url}", "", "The advocacy team"]
    body_html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head><body>'
        f"<p>{html.escape(greeting)}</p>"
        + "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
        + f'<p><a href="{html.escape(url, quote=True)}">{html.escape(action)}</a></p>'
        "<p>The advocacy team</p></body></html>"
    )
    return OutgoingEmail(
        kind=kind,
        to_name=name,
        to_address=advocate.email if advocate else email_key,
        subject=subject,
        text="\n".join(text_lines),
        html=body_html,
        links=(url,),
    )


def _award_email(deps: Dependencies, entry: LedgerEntry) -> OutgoingEmail:
    account = deps.store.get_rewards_account(entry.advocate_email_key)
    return _rewards_email(
        deps,
        "award",
        entry.advocate_email_key,
        f"Thank you: {entry.points} points for your time",
        [
            f"Thank you for your time. You earned {entry.points} points for: {entry.description}.",
            f"Your balance is now {account.balance} points. Spend them on the rewards in the catalog.",
        ],
    )


def _fulfilled_email(deps: Dependencies, redemption: Redemption) -> OutgoingEmail:
    paragraphs = [f"Your reward \u201c{redemption.reward_name}\u201d is on its way: the advocacy team fulfilled your request."]
    if redemption.note:
        paragraphs.append(f"A note from the team: {redemption.note}")
    return _rewards_email(deps, "reward-fulfilled", redemption.advocate_email_key, f"Your reward is on its way: {redemption.reward_name}", paragraphs)


def _declined_email(deps: Dependencies, redemption: Redemption) -> OutgoingEmail:
    return _rewards_email(
        deps,
        "reward-declined",
        redemption.advocate_email_key,
        f"Your reward request was declined: {redemption.reward_name}",
        [
            f"The advocacy team could not fulfill your request for \u201c{redemption.reward_name}\u201d. "
            f"The {redemption.points} points it held are back in your balance.",
            f"The reason they gave: {redemption.note}",
        ],
    )
