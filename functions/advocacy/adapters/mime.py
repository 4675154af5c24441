"""Building RFC 5322 messages that every mail client reads the same way."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr

from advocacy.ports.mail import OutgoingEmail


def parse_sender(sender: str) -> Address:
    """Turn 'Advocacy team <advocacy@example.com>' into an Address with its display name."""
    display_name, address = parseaddr(sender)
    if "@" not in address:
        raise ValueError(f"Sender {sender!r} has no email address; use 'Name <address@domain>'.")
    username, domain = address.rsplit("@", 1)
    return Address(display_name=display_name, username=username, domain=domain)


def build_mime(email: OutgoingEmail, sender: str) -> EmailMessage:
    """Build a multipart/alternative message (text, then HTML) with any attachments.

    The SMTP policy encodes display names and subjects in any script as RFC 2047 words and
    uses CRLF line ends, as mail servers expect.
    """
    message = EmailMessage(policy=SMTP)
    from_address = parse_sender(sender)
    message["From"] = from_address
    message["To"] = Address(display_name=email.to_name, addr_spec=email.to_address)
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=from_address.domain)
    message["X-Portal-Kind"] = email.kind
    message.set_content(email.text, subtype="plain", charset="utf-8")
    message.add_alternative(email.html, subtype="html", charset="utf-8")
    for attachment in email.attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(attachment.parameters),
        )
    return message
