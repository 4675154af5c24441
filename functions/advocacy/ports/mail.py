"""The mail port: how services send email without knowing whether SES or a folder receives it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message; ``parameters`` are extra Content-Type parameters, such as
    ``(("method", "REQUEST"),)`` that calendar clients need on an invite."""

    filename: str
    content_type: str
    data: bytes
    parameters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OutgoingEmail:
    """One message to one person, with a plain-text and an HTML body.

    ``links`` lists the actionable URLs of the message so the local outbox can print them.
    ``kind`` names the template, for logs and tests.
    """

    kind: str
    to_name: str
    to_address: str
    subject: str
    text: str
    html: str
    links: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())


class Mailer(ABC):
    @abstractmethod
    def send(self, email: OutgoingEmail) -> str:
        """Send the message and return its message id."""
