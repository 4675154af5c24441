"""Advocacy portal: everything deployed to AWS Lambda.

The packages follow the layers of the design: ``domain`` holds the rules in pure Python,
``ports`` the interfaces of the store and the mailer, ``adapters`` their SQLite, DynamoDB,
outbox and SES implementations, ``services`` the use cases that combine them, ``forms`` the
WTForms classes, and ``handlers`` the Lambda entry points.
"""
