"""The local mailer: each message becomes one .eml file in an outbox folder."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timezone
from pathlib import Path

from aws_lambda_powertools import Logger

from advocacy.adapters.mime import build_mime
from advocacy.ports.mail import Mailer, OutgoingEmail

logger = Logger(service="advocacy-portal", child=True)


class OutboxMailer(Mailer):
    """Writes messages to ``outbox_dir`` and prints their links, so no mail server is needed."""

    def __init__(self, outbox_dir: Path, sender: str, echo=print):
        self.outbox_dir = Path(outbox_dir)
        self.sender = sender
        self.echo = echo
        self._counter_lock = threading.Lock()
        self._counter = 0

    def send(self, email: OutgoingEmail) -> str:
        message = build_mime(email, self.sender)
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        with self._counter_lock:
            self._counter += 1
            sequence = self._counter
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        safe_kind = re.sub(r"[^a-z0-9-]+", "-", email.kind.lower())
        path = self.outbox_dir / f"{stamp}-{sequence:04d}-{safe_kind}.eml"
        path.write_bytes(message.as_bytes())

        for link in email.links:
            self.echo(f"[outbox] {email.kind}: {link}")
        logger.info("Email written to the outbox", kind=email.kind, file=path.name)
        return message["Message-ID"]
