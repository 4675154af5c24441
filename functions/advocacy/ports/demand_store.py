"""The part of the store port that keeps reference requests and portfolio targets."""

from __future__ import annotations

from abc import ABC, abstractmethod

from advocacy.domain.demand import ReferenceRequest, RequestStatus, Target


class DemandStore(ABC):
    @abstractmethod
    def save_request(self, request: ReferenceRequest, expected_status: RequestStatus | None = None) -> bool:
        """Create a request, or replace it while its status is still ``expected_status``.

        Returns False, changing nothing, when ``expected_status`` is given and the stored status
        differs (another admin moved it first), or when creating an id that exists.
        """

    @abstractmethod
    def get_request(self, request_id: str) -> ReferenceRequest | None:
        """Return one request by id."""

    @abstractmethod
    def list_requests(self, status: RequestStatus) -> list[ReferenceRequest]:
        """Return the requests in one status, newest first."""

    @abstractmethod
    def save_target(self, target: Target) -> None:
        """Create or replace a portfolio target."""

    @abstractmethod
    def delete_target(self, target_id: str) -> None:
        """Remove a target; removing a missing one does nothing."""

    @abstractmethod
    def list_targets(self) -> list[Target]:
        """Return every target, oldest first."""
