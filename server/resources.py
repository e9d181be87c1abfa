"""What the views share: the published store and the query pool of the running app.

Its own module (as flaskr's db.py) so that the blueprints need not import the app
factory that registers them: app.py imports the blueprints, they import this.
"""

from __future__ import annotations

from flask import Flask, current_app

from jtkg.graph.location import Published
from jtkg.server.workers import QueryPool

STORE_KEY = "jtkg.store"
QUERIES_KEY = "jtkg.queries"


def published_store(app: Flask | None = None) -> Published:
    """The store this app serves (set once by create_app)."""
    return (app or current_app).extensions[STORE_KEY]


def query_pool(app: Flask | None = None) -> QueryPool:
    """The pool of query workers this app answers with."""
    return (app or current_app).extensions[QUERIES_KEY]
