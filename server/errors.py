"""Errors that carry their HTTP status. One handler turns each into one plain-text line."""

from __future__ import annotations


class HTTPProblem(Exception):
    status = 500
    title = "Internal Server Error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        # One line, always: a reason is never a stack trace or a multi-line parser dump.
        self.reason = " ".join(reason.split()) or self.title


class BadRequest(HTTPProblem):
    status = 400
    title = "Bad Request"


class MalformedQuery(BadRequest):
    title = "Malformed Query"


class Unauthorized(HTTPProblem):
    status = 401
    title = "Unauthorized"


class Forbidden(HTTPProblem):
    status = 403
    title = "Forbidden"


class UnprocessableEntity(HTTPProblem):
    status = 422
    title = "Unprocessable Content"


class NotFound(HTTPProblem):
    status = 404
    title = "Not Found"


class MethodNotAllowed(HTTPProblem):
    status = 405
    title = "Method Not Allowed"


class NotAcceptable(HTTPProblem):
    status = 406
    title = "Not Acceptable"


class PayloadTooLarge(HTTPProblem):
    status = 413
    title = "Payload Too Large"


class UnsupportedMediaType(HTTPProblem):
    status = 415
    title = "Unsupported Media Type"


class BadGateway(HTTPProblem):
    """An external store answered with an error."""

    status = 502
    title = "Bad Gateway"


class ServiceUnavailable(HTTPProblem):
    status = 503
    title = "Service Unavailable"


class InsufficientStorage(HTTPProblem):
    """The disk filled up during a write: nothing was published."""

    status = 507
    title = "Insufficient Storage"
