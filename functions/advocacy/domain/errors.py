"""Domain exceptions, named for what happened in the field.

Each carries a message for the person who caused it: what failed, on which value, and what to
do next. Handlers map them to HTTP status codes; nothing here knows about HTTP.
"""


class DomainError(Exception):
    """Base class of every rule the domain enforces."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidForum(DomainError):
    """A forum's settings break a rule, such as a limited group event with 6 seats."""


class ForumNotFound(DomainError):
    """No published forum has the requested id."""


class RegistrationClosed(DomainError):
    """The forum no longer takes registrations: it started, was cancelled or is a draft."""


class RegistrationNotFound(DomainError):
    """No registration matches the id, or the link that named it is not valid."""


class RegistrationExpired(DomainError):
    """The prospect did not confirm in time, so the registration lapsed."""


class InvalidConfirmationToken(DomainError):
    """The confirmation token in the link does not match the registration."""


class RegistrationCancelled(DomainError):
    """The registration was cancelled, so it can no longer be confirmed."""


class SignInLinkInvalid(DomainError):
    """The sign-in token is unknown, for example mistyped or from another portal."""


class SignInLinkUsed(DomainError):
    """The sign-in link was already used once; each link works once."""


class SignInLinkExpired(DomainError):
    """The sign-in link is older than its lifetime."""


class NotSignedIn(DomainError):
    """The request needs a session and has none, or its session ended."""


class Forbidden(DomainError):
    """The signed-in person lacks the role the request needs."""


class CrossSiteRequest(DomainError):
    """A state-changing request came without the portal's own origin or CSRF header."""


class ForumNotEditable(DomainError):
    """The forum's state does not allow this change, such as editing a completed forum."""


class FeedbackNotAccepted(DomainError):
    """Feedback is only for confirmed prospects after the forum, once each."""


class HostUnavailable(DomainError):
    """A host advocate is not available on the forum's date, and no override reason was given."""


class TooManyRequests(DomainError):
    """An address or client passed a rate limit; nothing was stored or sent."""
