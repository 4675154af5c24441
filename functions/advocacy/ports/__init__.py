"""Interfaces the domain services need from the outside world: the store and the mailer."""
