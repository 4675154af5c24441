"""The SES v2 mailer on moto: a multipart message with the sender identity and any script."""

from __future__ import annotations

import email
import email.policy
import os
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from advocacy.adapters.ses_mailer import SESMailer
from advocacy.ports.mail import Attachment, OutgoingEmail

REGION = "eu-west-1"
SENDER = "Advocacy team <advocacy@vendor.example>"


@pytest.fixture
def ses():
    environment = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}
    with mock.patch.dict(os.environ, environment), mock_aws():
        client = boto3.client("sesv2", region_name=REGION)
        client.create_email_identity(EmailIdentity="vendor.example")
        yield client


def sent_messages():
    return ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages


def outgoing(**changes) -> OutgoingEmail:
    values = {
        "kind": "seat-confirmed",
        "to_name": "佐藤 遥",
        "to_address": "haruka.sato@kumo-retail.example",
        "subject": "Ihre Anmeldung: Qualität im Werk",
        "text": "Hello,\n\nYour seat is confirmed.",
        "html": "<p>Hello,</p><p>Your seat is confirmed.</p>",
    }
    values.update(changes)
    return OutgoingEmail(**values)


def test_ses_mailer_sends_raw_multipart_message(ses):
    message_id = SESMailer(SENDER, client=ses).send(outgoing())

    raw = sent_messages()[0].raw_data
    parsed = email.message_from_string(raw if isinstance(raw, str) else raw.decode("utf-8"), policy=email.policy.default)
    assert message_id
    assert parsed.get_body(preferencelist=("plain",)).get_content().startswith("Hello,")
    assert parsed.get_body(preferencelist=("html",)) is not None
    assert parsed["To"].addresses[0].display_name == "佐藤 遥"
    assert str(parsed["Subject"]) == "Ihre Anmeldung: Qualität im Werk"


def test_ses_mailer_sends_from_configured_identity(ses):
    SESMailer(SENDER, client=ses).send(outgoing())

    assert sent_messages()[0].source == "Advocacy team <advocacy@vendor.example>"


def test_ses_mailer_attaches_calendar_invite(ses):
    invite = Attachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", (("method", "REQUEST"),))

    SESMailer(SENDER, client=ses).send(outgoing(attachments=(invite,)))

    raw = sent_messages()[0].raw_data
    parsed = email.message_from_string(raw if isinstance(raw, str) else raw.decode("utf-8"), policy=email.policy.default)
    attachment = next(parsed.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"


def test_ses_mailer_unverified_sender_fails(ses):
    with pytest.raises(ClientError) as raised:
        SESMailer("Someone <someone@unverified.example>", client=ses).send(outgoing())

    assert raised.value.response["Error"]["Code"] == "MessageRejected"
    assert sent_messages() == []
