"""One error hierarchy (loaders/errors.py): every error a user sees is a JtkgError of one
meaning, whose exit code and HTTP status the CLI's one handler and the app's one handler use."""

from __future__ import annotations

import importlib
import inspect
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from jtkg.graph.export import ExportError
from jtkg.graph.generations import StoreFull
from jtkg.graph.store import StoreError
from jtkg.loaders.errors import BadInput, DoesNotConform, JtkgError, NotFound, Refused, StoreUnusable
from jtkg.server.cli import main
from jtkg.server.errors import BadRequest, for_status

ROOT = Path(__file__).resolve().parents[1]
#: Exceptions that never reach a user: each is caught where it is raised and turned into an
#: outcome (a skipped document, a fallback to pySHACL, a 503 with its own line, an OS state
#: of the sandbox), so they keep their own bases.
INTERNAL = {
    "jtkg.loaders.types.TooManyMentions",  # extract.py skips the document with its reason
    "jtkg.graph.build._Refused",  # build.py's control flow: the build result says why
    "jtkg.graph.shacl_fast.Unsupported",  # validate.py falls back to pySHACL
    "jtkg.server.results.TooManyRows",  # sparql.py answers ServiceUnavailable with the limit
    "jtkg.server.sandbox.SandboxUnavailable",  # OSError: the pool reports which sandbox it has
    "jtkg.server.sandbox.NetworkCut",  # OSError: what a worker's socket() meets
    "jtkg.server.workers._Stopped",  # the pool kills the worker and raises its ServiceUnavailable
    "jtkg.graph.handoff._Unwritable",  # the worker falls back to pyoxigraph's serializer
}
MEANINGS = (NotFound, DoesNotConform, Refused, StoreUnusable, BadInput)
#: The two bases: JtkgError, and the views' HTTPProblem (a bare one is an internal error, 500).
BASES = ("jtkg.loaders.errors.JtkgError", "jtkg.server.errors.HTTPProblem")


def _error_classes() -> dict[str, type[BaseException]]:
    found = {}
    for layer in ("loaders", "graph", "server"):
        for path in sorted((ROOT / layer).glob("*.py")):
            if path.stem in ("__init__", "__main__"):
                continue
            module = importlib.import_module(f"jtkg.{layer}.{path.stem}")
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, BaseException)
                    and value.__module__ == module.__name__
                ):
                    found[f"{module.__name__}.{name}"] = value
    return found


def test_every_error_a_user_sees_is_a_jtkg_error_of_one_meaning() -> None:
    classes = _error_classes()
    assert set(INTERNAL) <= set(classes), "an internal exception moved: update INTERNAL"
    outside = sorted(n for n, c in classes.items() if n not in INTERNAL and not issubclass(c, JtkgError))
    assert outside == []
    for name, cls in classes.items():
        if name in INTERNAL or name in BASES:
            continue
        # Its meaning is the first in its MRO (MalformedChange: BadInput before Refused).
        meaning = next((m for m in cls.__mro__ if m in MEANINGS), None)
        assert meaning is not None, f"{name} has no meaning"
        assert cls.exit_code == meaning.exit_code, name  # a status may refine, a code may not


@pytest.mark.parametrize(
    ("path", "exit_code", "status"),
    [
        ("jtkg.graph.store.StoreError", 2, 503),
        ("jtkg.graph.generations.StoreDamaged", 2, 503),
        ("jtkg.graph.generations.StoreFull", 2, 507),
        ("jtkg.graph.remote_http.RemoteRefused", 2, 502),
        ("jtkg.graph.ingest.RemoveRefused", 1, 404),
        ("jtkg.graph.export.ExportError", 1, 404),
        ("jtkg.graph.imports.GraphNotFound", 1, 404),
        ("jtkg.graph.imports.OwnedGraphRefused", 1, 403),
        ("jtkg.graph.imports.ImportRefused", 2, 400),
        ("jtkg.graph.change.OwnedGraph", 1, 403),
        ("jtkg.graph.change.DoesNotConform", 1, 422),
        ("jtkg.graph.change.MalformedChange", 2, 400),
        ("jtkg.graph.change.OutboundRefused", 2, 400),
        ("jtkg.graph.mappings.MappingError", 1, 422),
        ("jtkg.graph.rdf_input.RdfInputError", 2, 400),
        ("jtkg.graph.link.LinkError", 2, 400),
        ("jtkg.loaders.formats.DocumentError", 2, 400),
        ("jtkg.loaders.devset.DevsetError", 2, 400),
        ("jtkg.loaders.fetch.FetchError", 2, 400),
        ("jtkg.server.settings.SettingError", 2, 400),
        ("jtkg.server.errors.Unauthorized", 1, 401),
        ("jtkg.server.errors.NotAcceptable", 2, 406),
        ("jtkg.server.errors.ServiceUnavailable", 2, 503),
    ],
)
def test_the_table_of_codes(path: str, exit_code: int, status: int) -> None:
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    assert (cls.exit_code, cls.http_status) == (exit_code, status)


def test_errors_that_were_value_errors_still_are() -> None:
    from jtkg.graph.formats import FormatError
    from jtkg.graph.rdf_input import RdfInputError
    from jtkg.server.settings import SettingError

    for cls in (FormatError, RdfInputError, SettingError):
        assert issubclass(cls, ValueError) and issubclass(cls, BadInput)


def test_an_import_the_shapes_refuse_exits_1_and_an_unreadable_one_2() -> None:
    from jtkg.graph.imports import ImportRefused

    assert ImportRefused("x: cannot be read").exit_code == 2
    refused = ImportRefused("1 SHACL violation(s)", [object()])  # type: ignore[list-item]
    assert (refused.exit_code, refused.http_status) == (1, 422)


def test_a_status_turns_back_into_its_error() -> None:
    assert type(for_status(400, "malformed query: x")) is BadRequest
    assert for_status(404, "no").exit_code == 1 and for_status(503, "busy").exit_code == 2
    assert for_status(599, "odd").http_status == 500
    assert for_status(400, "a\nb").reason == "a b"


# The CLI: one handler, one line, the meaning's code.


def _damaged(tmp_path: Path) -> Path:
    store = tmp_path / "damaged"
    (store / "gen-20260101T000000-00000000").mkdir(parents=True)
    (store / "CURRENT").write_text("garbage\n")
    return store


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "doc.md"],
        ["remove", "some-document"],
        ["remove", "--graph", "http://example.org/g"],
        ["import", "data.ttl", "--graph", "http://example.org/g"],
        ["export"],
        ["query", "ASK {}"],
        ["retired"],
        ["link"],
        ["backup", "copy"],
        ["mappings"],
    ],
)
def test_a_damaged_store_is_exit_2_and_one_line_under_every_command(
    runner: CliRunner, tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.md").write_text("Japan and Taiwan signed an agreement in Taipei.\n")
    (tmp_path / "data.ttl").write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
    result = runner.invoke(main, [*args, "--store", str(_damaged(tmp_path))])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("jtkg: ") and "CURRENT" in lines[-1], result.output
    assert "Traceback" not in result.output


def test_doctor_fix_on_a_store_it_cannot_write_exits_2_like_every_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the StoreError of pointing CURRENT exited 1 under doctor (its "damaged"
    outcome) and 2 under every other command."""
    import jtkg.graph.doctor as doctor

    store = _damaged(tmp_path)

    class Fallback:  # the damaged store, with an intact generation to fall back to
        is_store, healthy, current, generations, problems = True, False, None, [], ["CURRENT is damaged"]
        fallback = "gen-20260101T000000-00000000"

    def full(*_: object) -> None:
        raise StoreFull(f"no space left on device while writing {store}/CURRENT")

    monkeypatch.setattr(doctor, "diagnose", lambda _: Fallback())
    monkeypatch.setattr(doctor, "point_current", full)
    result = runner.invoke(main, ["doctor", "--fix", "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1].startswith("jtkg: no space left on device")


def test_import_and_remove_refuse_a_graph_the_build_writes_alike(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    """Before: the same refusal exited 2 under import and 1 under remove."""
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
    owned = "https://w3id.org/jtkg/graph/ontology"
    imported = runner.invoke(main, ["import", str(data), "--graph", owned, "--store", str(store)])
    removed = runner.invoke(main, ["remove", "--graph", owned, "--store", str(store)])
    assert imported.exit_code == removed.exit_code == 1, (imported.output, removed.output)
    assert "a graph the build writes" in imported.output and "a graph the build writes" in removed.output
    unknown = runner.invoke(main, ["remove", "--graph", "http://example.org/none", "--store", str(store)])
    assert unknown.exit_code == 1 and "no graph http://example.org/none" in unknown.output
    not_iri = runner.invoke(main, ["remove", "--graph", "not an iri", "--store", str(store)])
    assert not_iri.exit_code == 2 and "not an absolute IRI" in not_iri.output


# HTTP: one handler, one plain-text line with the status.


def _raising(app: Flask, error: BaseException) -> None:
    @app.get("/_raise")
    def _raise() -> str:
        raise error


@pytest.mark.parametrize(
    ("error", "status", "line"),
    [
        (ExportError("no graph named urn:x in the store"), 404, "no graph named urn:x in the store"),
        (BadInput("bad\ninput  here"), 400, "bad input here"),
        (Refused("not yours"), 403, "not yours"),
        (StoreError("/srv/secret/store/CURRENT is damaged"), 503, "the graph store is not available"),
        (StoreFull("/srv/secret: no space"), 507, "no space left on device"),
    ],
)
def test_a_jtkg_error_in_a_view_is_its_status_and_one_line(
    store: Path, error: JtkgError, status: int, line: str, caplog: pytest.LogCaptureFixture
) -> None:
    from jtkg.server.app import create_app

    app = create_app({"STORE": store})
    try:
        _raising(app, error)
        response = app.test_client().get("/_raise", headers={"Accept": "text/plain"})
        body = response.get_data(as_text=True)
        assert response.status_code == status and response.mimetype == "text/plain"
        assert body.startswith(line) and body.count("\n") == 1
        assert "/srv/secret" not in body  # a store's path goes to the log only
    finally:
        app.extensions["jtkg.queries"].close()


def test_an_unexpected_error_is_500_one_line_and_its_trace_is_logged(
    store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from jtkg.server.app import create_app

    app = create_app({"STORE": store})
    try:
        _raising(app, KeyError("internal detail"))
        with caplog.at_level(logging.ERROR, logger="jtkg.server"):
            response = app.test_client().get("/_raise", headers={"Accept": "text/plain"})
        body = response.get_data(as_text=True)
        assert response.status_code == 500 and body.startswith("internal error (request id ")
        assert body.count("\n") == 1 and "internal detail" not in body
        assert any(r.exc_info and "internal detail" in str(r.exc_info[1]) for r in caplog.records)
    finally:
        app.extensions["jtkg.queries"].close()
