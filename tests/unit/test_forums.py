"""Forum rules: formats and capacity, start times across daylight-saving changes, ids."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from advocacy.domain.errors import InvalidForum
from advocacy.domain.forums import ForumFormat, check_capacity, forum_id_for, start_in_utc
from tests.factories import make_forum


@pytest.mark.parametrize("capacity", [2, 3, 4])
def test_limited_group_accepts_two_to_four_seats(capacity):
    check_capacity(ForumFormat.LIMITED_GROUP_EVENT, capacity)


@pytest.mark.parametrize("capacity", [0, 1, 5, 70])
def test_limited_group_rejects_other_capacities(capacity):
    with pytest.raises(InvalidForum) as raised:
        check_capacity(ForumFormat.LIMITED_GROUP_EVENT, capacity)

    assert raised.value.field == "capacity"


@pytest.mark.parametrize("capacity", [0, 1001])
def test_reference_forum_rejects_capacity_out_of_range(capacity):
    with pytest.raises(InvalidForum):
        check_capacity(ForumFormat.REFERENCE_FORUM, capacity)


def test_start_in_utc_between_american_and_european_changes():
    # On 2027-03-20 New York is already on daylight time (UTC-4) and Berlin not yet (UTC+1).
    start = start_in_utc(datetime(2027, 3, 20, 11, 0), "America/New_York")

    assert start == datetime(2027, 3, 20, 15, 0, tzinfo=timezone.utc)


def test_start_in_utc_rejects_skipped_wall_time():
    with pytest.raises(InvalidForum) as raised:
        start_in_utc(datetime(2027, 3, 28, 2, 30), "Europe/Berlin")

    assert raised.value.field == "start_time"


def test_start_in_utc_rejects_unknown_zone():
    with pytest.raises(InvalidForum) as raised:
        start_in_utc(datetime(2027, 3, 28, 10, 0), "Europe/Atlantis")

    assert raised.value.field == "time_zone"


def test_forum_id_is_ascii_slug_with_date():
    assert forum_id_for("Qualité: l'usine à Lyon!", "2027-03-23") == "2027-03-23-qualite-l-usine-a-lyon"


def test_forum_id_of_non_latin_title_falls_back():
    assert forum_id_for("佐藤さんの話", "2027-02-03") == "2027-02-03-forum"


def test_below_minimum_only_for_limited_group():
    small = make_forum(capacity=4)
    large = make_forum(capacity=70, forum_format=ForumFormat.REFERENCE_FORUM)

    assert small.below_minimum is True
    assert large.below_minimum is False
