"""Registration rules: identity by email, seat or waitlist, and lapsed confirmations."""

from __future__ import annotations

from datetime import timedelta

from advocacy.domain.registrations import RegistrationStatus, normalize_email, place_on_confirmation
from advocacy.signing import CONFIRM, MANAGE, sign, verify
from tests.factories import NOW, make_forum, make_registration


def test_normalize_email_trims_and_lowercases():
    assert normalize_email("  Dana.Whitfield@Northwind-Health.EXAMPLE ") == "dana.whitfield@northwind-health.example"


def test_registration_keeps_typed_spelling():
    registration = make_registration("f", email="Dana.Whitfield@Northwind.example")

    assert registration.email == "Dana.Whitfield@Northwind.example"
    assert registration.email_key == "dana.whitfield@northwind.example"


def test_place_on_confirmation_seat_when_left():
    forum = make_forum(capacity=2).with_counts(1, 0)

    placed = place_on_confirmation(forum, make_registration(forum.forum_id), NOW, arrival=2)

    assert placed.status is RegistrationStatus.CONFIRMED
    assert placed.arrival == 2


def test_place_on_confirmation_waitlist_when_full():
    forum = make_forum(capacity=2).with_counts(2, 0)

    placed = place_on_confirmation(forum, make_registration(forum.forum_id), NOW, arrival=3)

    assert placed.status is RegistrationStatus.WAITLISTED


def test_has_lapsed_at_deadline():
    registration = make_registration("f")

    assert registration.has_lapsed(NOW + timedelta(hours=48)) is True
    assert registration.has_lapsed(NOW + timedelta(hours=47, minutes=59)) is False


def test_signature_bound_to_purpose_and_ids():
    key = b"k" * 32
    token = sign(key, CONFIRM, "forum", "reg1")

    assert verify(key, token, CONFIRM, "forum", "reg1") is True
    assert verify(key, token, MANAGE, "forum", "reg1") is False
    assert verify(key, token, CONFIRM, "forum", "reg2") is False
    assert verify(b"x" * 32, token, CONFIRM, "forum", "reg1") is False
