"""JSON shapes of forums and registrations, as the API returns them."""

from __future__ import annotations

from datetime import datetime, timezone

from advocacy.domain.forums import Forum
from advocacy.domain.advocates import Advocate
from advocacy.domain.registrations import Registration, RegistrationStatus
from advocacy.services.registrations import RegistrationView

STATUS_LABELS = {
    RegistrationStatus.PENDING: "Waiting for your confirmation",
    RegistrationStatus.CONFIRMED: "Confirmed",
    RegistrationStatus.WAITLISTED: "On the waitlist",
    RegistrationStatus.CANCELLED: "Cancelled",
    RegistrationStatus.EXPIRED: "Expired",
}


def utc_text(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def forum_json(forum: Forum, now: datetime, hosts: list[dict] | None = None) -> dict:
    if hosts is None:
        hosts = [{"name": name, "title": "", "company": ""} for name in forum.host_names]
    return {
        "forum_id": forum.forum_id,
        "title": forum.title,
        "format": forum.format.value,
        "format_label": forum.format.label,
        "status": forum.status.value,
        "starts_at": utc_text(forum.starts_at),
        "ends_at": utc_text(forum.ends_at),
        "time_zone": forum.time_zone,
        "local_start": forum.local_start().isoformat(),
        "duration_minutes": forum.duration_minutes,
        "capacity": forum.capacity,
        "seats_left": forum.seats_left,
        "availability": "open" if forum.has_seat else "waitlist",
        "industry": forum.industry,
        "product": forum.product,
        "region": forum.region,
        "language": forum.language,
        "chaperoned": forum.chaperoned,
        "description": forum.description,
        "hosts": hosts,
        "registration_open": forum.takes_registrations(now),
    }


def registration_json(view: RegistrationView, now: datetime, hosts: list[dict] | None = None) -> dict:
    registration = view.registration
    confirmed = registration.status is RegistrationStatus.CONFIRMED
    return {
        "registration_id": registration.registration_id,
        "forum_id": registration.forum_id,
        "status": registration.status.value,
        "status_label": STATUS_LABELS[registration.status],
        "name": registration.name,
        "email": registration.email,
        "company": registration.company,
        "job_title": registration.job_title,
        "time_zone": registration.time_zone,
        "questions": registration.questions,
        "opportunity_id": registration.opportunity_id,
        "waitlist_position": view.waitlist_position,
        # The join link is for confirmed prospects only: a waitlisted one could take a seat.
        "join_url": view.forum.join_url if confirmed else "",
        "manage_url": view.manage_url,
        "forum": forum_json(view.forum, now, hosts),
    }


def advocate_json(advocate: Advocate) -> dict:
    return {
        "email": advocate.email,
        "first_name": advocate.first_name,
        "last_name": advocate.last_name,
        "name": advocate.display_name,
        "company": advocate.company,
        "title": advocate.title,
        "industry": advocate.industry,
        "country": advocate.country,
        "products": list(advocate.products),
        "persona": advocate.persona,
        "status": advocate.status.value,
        "activities_willing": list(advocate.activities_willing),
        "max_activities_per_quarter": advocate.max_activities_per_quarter,
        "last_verified": advocate.last_verified.isoformat() if advocate.last_verified else None,
    }


def admin_registration_json(registration: Registration) -> dict:
    return {
        "registration_id": registration.registration_id,
        "status": registration.status.value,
        "name": registration.name,
        "email": registration.email,
        "company": registration.company,
        "job_title": registration.job_title,
        "opportunity_id": registration.opportunity_id,
        "sales_rep_email": registration.sales_rep_email,
        "questions": registration.questions,
        "created_at": utc_text(registration.created_at),
        "waitlist_arrival": registration.arrival,
        "time_zone": registration.time_zone,
        "attended": registration.attended,
        "opportunity_amount": registration.opportunity_amount,
        "feedback_rating": registration.feedback_rating,
        "feedback_comment": registration.feedback_comment,
    }
