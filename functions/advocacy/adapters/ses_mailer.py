"""The AWS mailer: sends each message through Amazon SES v2 as a raw MIME message."""

from __future__ import annotations

import boto3
from aws_lambda_powertools import Logger

from advocacy.adapters.mime import build_mime
from advocacy.ports.mail import Mailer, OutgoingEmail

logger = Logger(service="advocacy-portal", child=True)


class SESMailer(Mailer):
    def __init__(self, sender: str, client=None):
        self.sender = sender
        self._client = client

    @property
    def client(self):
        if self._client is None:
            self._client = boto3.client("sesv2")
        return self._client

    def send(self, email: OutgoingEmail) -> str:
        message = build_mime(email, self.sender)
        # Raw content keeps our multipart structure and attachments exactly as built.
        response = self.client.send_email(
            FromEmailAddress=str(message["From"]),
            Destination={"ToAddresses": [str(message["To"])]},
            Content={"Raw": {"Data": message.as_bytes()}},
        )
        logger.info("Email sent with SES", kind=email.kind, ses_message_id=response["MessageId"])
        return response["MessageId"]
