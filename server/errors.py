"""The errors the views raise: each is a JtkgError (loaders/errors.py) of its meaning,
carrying its HTTP status, so app.py's one handler turns it into one plain-text line."""

from __future__ import annotations

from jtkg.loaders import errors
from jtkg.loaders.errors import BadInput, JtkgError, Refused, StoreUnusable


class HTTPProblem(JtkgError):
    """A view's refusal with its status; ``reason`` is its one line."""

    http_status = 500
    title = "Internal Server Error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        # One line, always: a reason is never a stack trace or a multi-line parser dump.
        self.reason = " ".join(reason.split()) or self.title

    @property
    def status(self) -> int:
        """The HTTP status (the name the views and the workers read)."""
        return self.http_status


class BadRequest(HTTPProblem, BadInput):
    http_status = 400
    title = "Bad Request"


class MalformedQuery(BadRequest):
    title = "Malformed Query"


class Unauthorized(HTTPProblem, Refused):
    http_status = 401
    title = "Unauthorized"


class Forbidden(HTTPProblem, Refused):
    http_status = 403
    title = "Forbidden"


class UnprocessableEntity(HTTPProblem, errors.DoesNotConform):
    http_status = 422
    title = "Unprocessable Content"


class NotFound(HTTPProblem, errors.NotFound):
    http_status = 404
    title = "Not Found"


class MethodNotAllowed(HTTPProblem, BadInput):
    http_status = 405
    title = "Method Not Allowed"


class NotAcceptable(HTTPProblem, BadInput):
    http_status = 406
    title = "Not Acceptable"


class PayloadTooLarge(HTTPProblem, BadInput):
    http_status = 413
    title = "Payload Too Large"


class UnsupportedMediaType(HTTPProblem, BadInput):
    http_status = 415
    title = "Unsupported Media Type"


class BadGateway(HTTPProblem, StoreUnusable):
    """An external store answered with an error."""

    http_status = 502
    title = "Bad Gateway"


class ServiceUnavailable(HTTPProblem, StoreUnusable):
    """The store, or the query workers, cannot answer now (a time limit, a full queue)."""

    http_status = 503
    title = "Service Unavailable"


class InsufficientStorage(HTTPProblem, StoreUnusable):
    """The disk filled up during a write: nothing was published."""

    http_status = 507
    title = "Insufficient Storage"


def for_status(status: int, reason: str) -> HTTPProblem:
    """The problem of that status (a response's status turned back into its error, as the
    CLI does with a query's answer); an unknown status is a 500."""
    for kind in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        PayloadTooLarge,
        UnsupportedMediaType,
        UnprocessableEntity,
        BadGateway,
        ServiceUnavailable,
        InsufficientStorage,
    ):
        if kind.http_status == status:
            return kind(reason)
    return HTTPProblem(reason)
