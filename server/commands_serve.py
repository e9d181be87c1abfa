"""`jtkg serve`: the store over HTTP with a production WSGI server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from jtkg.graph.build import bundled_corpus
from jtkg.loaders.errors import BadInput, DoesNotConform
from jtkg.server.command_support import store_option
from jtkg.server.commands_store import document_limits, print_summary, run_build
from jtkg.server.settings import SETTINGS

if TYPE_CHECKING:
    from flask import Flask


def setting_options(command: Callable[..., None]) -> Callable[..., None]:
    """One option per setting of the table (but the store, which has its own)."""
    for setting in reversed(SETTINGS):
        if setting.name == "store":
            continue
        # Text: the table checks type and range, one line each, as it does for $JTKG_*.
        shown = "(empty)" if setting.default == "" else setting.default
        command = click.option(
            setting.option,
            setting.key,
            type=str,
            default=None,
            metavar=setting.kind.__name__.upper(),
            help=f"{setting.help} [default: {shown}; "
            f"{setting.accepted() + '; ' if setting.accepted() else ''}"
            f"${setting.env}]",
        )(command)
    return command


@click.command("serve")
@setting_options
@store_option
def serve_command(store_path: str | None, **settings: object) -> None:
    """Serve the store over HTTP with a production server (granian by default, or waitress):
    /sparql and the linked-data pages. Builds the bundled corpus first if the store holds no
    graph. Every option also reads its environment variable."""
    # Imported here, not at the top: the web app's modules load only for `serve`.
    from jtkg.server.app import create_app
    from jtkg.server.http_server import SERVERS
    from jtkg.server.resources import published_store, query_pool

    # A StoreError or a SettingError reaches cli.py's handler: one line, exit 2.
    config = {"STORE": store_path, **settings}
    app = create_app(config)
    kind = str(app.config["HTTP_SERVER"]).strip().lower()
    if kind not in SERVERS:
        raise BadInput(f"--http-server: {kind!r} is not one of {', '.join(SERVERS)}")
    where = published_store(app).location
    # Only a folder with nothing in it gets the bundled corpus: a store that holds
    # generations but no readable CURRENT is damaged, and refused (never rebuilt over).
    if where.is_empty():
        click.echo(f"no graph in {where.describe()}: building the bundled corpus first", err=True)
        # The --max-document-* options given here bound it, as they bound `jtkg build`.
        result = run_build(bundled_corpus(), where, document_limits(settings))
        if not result.published:
            click.echo(result.report(), err=True)
            raise DoesNotConform("the bundled corpus did not validate; nothing to serve")
        print_summary(result, where)
    published_store(app).get()  # a damaged store is refused here, in one line
    host, port = app.config["HOST"], int(app.config["PORT"])
    if kind == "waitress":
        _serve_waitress(app, host, port)
        return
    from jtkg.server.http_server import free_to_listen, numeric_address, run_granian

    try:
        address = numeric_address(host)  # granian takes literal addresses only
        port = free_to_listen(address, port)
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    query_pool(app).close()  # never started here: granian's worker makes the app that serves
    run_granian(config, address, port, int(app.config["THREADS"]), banner)


def banner(app: Flask, port: int) -> None:
    """The lines a started server prints: the query workers' sandbox, then the address."""
    from jtkg.server.resources import published_store, query_pool

    host = app.config["HOST"]
    shown = f"[{host}]" if ":" in host else host
    click.echo(query_pool(app).protection(), err=True)  # which sandbox the workers have
    click.echo(
        f"jtkg serving {published_store(app).location.describe()} at http://{shown}:{port}/ "
        f"(SPARQL: http://{shown}:{port}/sparql); Ctrl-C stops",
        err=True,
    )


def _serve_waitress(app: Flask, host: str, port: int) -> None:
    import waitress

    try:
        server = waitress.create_server(
            app,
            host=host,
            port=port,
            threads=int(app.config["THREADS"]),
            max_request_body_size=int(app.config["MAX_BODY_BYTES"]),
        )
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except ValueError:  # waitress's word for a host name that does not resolve
        raise BadInput(f"cannot listen on {host}:{port}: the host name does not resolve") from None
    banner(app, int(server.effective_port))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


COMMANDS = [serve_command]
