"""Domain errors: a service raises one with a translated message; views turn it into 4xx."""


class DomainError(Exception):
    """A rule of the domain refused the request. `message` is already translated."""

    status_code = 400

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class PermissionDenied(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409
