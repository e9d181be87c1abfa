"""The one error hierarchy: every error jtkg reports to a user is a JtkgError, which carries
its command-line exit code and its HTTP status, so the CLI group and the Flask app each have
one handler that prints (or answers) its one line, and no command or view picks a code.

Why here, in loaders/: it is the leftmost layer that raises errors a user sees (a document
that cannot be read, a devset that is not one, a fetch refused), and every layer to its
right (graph, server) may import it without breaking "ontology -> loaders -> graph ->
server". ontology/ holds the vocabulary and raises nothing a user sees.

The meanings, their exit codes (0 ok, 1 does not conform or refused, 2 could not load) and
their statuses:

| class          | meaning                                         | exit | HTTP |
|----------------|-------------------------------------------------|------|------|
| NotFound       | what was named is not there (document, graph)   | 1    | 404  |
| DoesNotConform | the data would violate the shapes               | 1    | 422  |
| Refused        | not allowed (a graph the build writes, a token) | 1    | 403  |
| StoreUnusable  | the store is missing, damaged, full, unreachable| 2    | 503  |
| BadInput       | unreadable, malformed or out of range input     | 2    | 400  |

A subclass may refine its status (StoreFull answers 507, RemoteRefused 502) but keeps its
meaning's exit code.
"""

from __future__ import annotations


class JtkgError(Exception):
    """An error a user sees as one line: ``str(error)``, never a stack trace."""

    #: Class attributes: a subclass names its meaning's codes once.
    exit_code: int = 2
    http_status: int = 500

    def line(self) -> str:
        """The message on one line (a parser's multi-line dump included)."""
        return " ".join(str(self).split()) or type(self).__name__


class NotFound(JtkgError):
    """What was named (a document, a graph, a page) is not there."""

    exit_code = 1
    http_status = 404


class DoesNotConform(JtkgError):
    """The data, or the change, would violate the shapes: nothing was changed."""

    exit_code = 1
    http_status = 422


class Refused(JtkgError):
    """The request is understood and not allowed (a graph the build writes, a missing token)."""

    exit_code = 1
    http_status = 403


class StoreUnusable(JtkgError):
    """The store cannot be used: missing, damaged, full, or an external store that failed."""

    exit_code = 2
    http_status = 503


class BadInput(JtkgError):
    """Input that cannot be read or used: a file, an argument, a setting, a request."""

    exit_code = 2
    http_status = 400
