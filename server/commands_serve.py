"""`jtkg serve`: the store over HTTP with a production WSGI server."""

from __future__ import annotations

from pathlib import Path

import click

from jtkg.graph.build import bundled_corpus
from jtkg.graph.store import StoreError, StoreLocation
from jtkg.server.cli import EXIT_INVALID, fail, store_option
from jtkg.server.commands_store import print_summary, run_build
from jtkg.server.settings import BY_NAME


@click.command("serve")
@click.option("--host", default=None, help=BY_NAME["host"].help + " [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help=BY_NAME["port"].help + " [default: 5000]")
@click.option("--threads", type=int, default=None, help=BY_NAME["threads"].help)
@store_option
def serve_command(host: str | None, port: int | None, threads: int | None,
                  store_path: Path | None) -> None:
    """Serve the store over HTTP with waitress (a production WSGI server): /sparql and the
    linked-data pages. Builds the bundled corpus first if the store holds no graph."""
    import waitress

    from jtkg.server.app import create_app

    app = create_app({"STORE": store_path, "HOST": host, "PORT": port, "THREADS": threads})
    where = StoreLocation(app.config["STORE"])
    try:
        if not where.exists():
            click.echo(f"no graph in {where.path}: building the bundled corpus first", err=True)
            result = run_build(bundled_corpus(), where)
            if not result.published:
                click.echo(result.report(), err=True)
                fail("the bundled corpus did not validate; nothing to serve", EXIT_INVALID)
            print_summary(result, where)
    except StoreError as exc:
        fail(str(exc))
    host, port = app.config["HOST"], int(app.config["PORT"])
    try:
        server = waitress.create_server(app, host=host, port=port,
                                        threads=int(app.config["THREADS"]),
                                        max_request_body_size=int(app.config["MAX_BODY_BYTES"]))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"jtkg serving {where.path} at http://{shown}:{server.effective_port}/ "
               f"(SPARQL: http://{shown}:{server.effective_port}/sparql); Ctrl-C stops", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


COMMANDS = [serve_command]
