"""Implementations of the ports: SQLite and DynamoDB stores, outbox and SES mailers."""
