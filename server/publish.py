"""Stable URLs for what others consume without this software: the VoID description, full
dumps, the JSON-LD context, the ontology and the shapes."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, send_file

from jtkg.graph.export import export, retired_links
from jtkg.graph.formats import DUMP_FORMATS, serialize
from jtkg.graph.generations import disk_full, is_storage_failure
from jtkg.ontology import context_path, ontology_path, shapes_path
from jtkg.server.errors import InsufficientStorage, NotFound, ServiceUnavailable
from jtkg.server.negotiation import HTML, TRIPLE_FORMATS, add_alternates, choose
from jtkg.server.resources import published_store
from jtkg.server.service import DUMPS, service_description

bp = Blueprint("publish", __name__)

#: /dumps/jtkg.EXT -> its format (graph/formats.py's DUMP_FORMATS).
_DUMP_FORMATS = {f"jtkg{f.extensions[0]}": f for f in DUMP_FORMATS}


@bp.route("/void")
def void() -> Response:
    return service_description(
        request.headers.get("Accept"), request.url_root, published_store(), request.args.get("format")
    )


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    """The whole published dataset, written once per generation and then served as a file."""
    if name not in DUMPS:
        raise NotFound(f"no dump {name!r}; available: {', '.join(DUMPS)}")
    published = published_store()
    store = published.get()
    location = published.location
    generation = published.generation()
    folder = location.local.path / "dumps" / generation
    target = folder / name
    if not target.exists():
        try:
            _write_dump(store, folder, target, name, retired_links(location, generation))
        except OSError as exc:
            if disk_full(exc):
                raise InsufficientStorage(
                    "no space left on device for the dump; try again when space is freed"
                ) from None
            if is_storage_failure(exc):
                raise
            raise ServiceUnavailable(
                f"the dump cannot be written in the store folder: {exc.strerror or exc}"
            ) from None
        _remove_old_dumps(folder.parent, keep=generation)
    return send_file(
        target,
        mimetype=_DUMP_FORMATS[name].media_type,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=True,
    )


def _write_dump(store: ox.Store, folder: Path, target: Path, name: str, retired: Mapping[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer per dump; the others wait, then serve it
        if not target.exists():
            partial = target.with_suffix(target.suffix + ".part")
            try:
                with open(partial, "wb") as output:
                    export(store, _DUMP_FORMATS[name].name, output, retired=retired)
                os.replace(partial, target)
            except BaseException:
                partial.unlink(missing_ok=True)  # never a half-written dump left behind
                raise


def _remove_old_dumps(root: Path, keep: str) -> None:
    for old in root.iterdir():
        if old.is_dir() and old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


@bp.route("/context.jsonld")
def context() -> Response:
    return send_file(context_path(), mimetype="application/ld+json")


@bp.route("/ontology")
def ontology() -> Response:
    return _vocabulary(ontology_path(), "The jtkg ontology")


@bp.route("/shapes")
def shapes() -> Response:
    return _vocabulary(shapes_path(), "The jtkg SHACL shapes")


def _vocabulary(path: Path, title: str) -> Response:
    fmt = choose(
        request.headers.get("Accept") or "text/html", (HTML, *TRIPLE_FORMATS), request.args.get("format")
    )
    triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    if fmt.name == "html":
        subjects: dict[str, list[tuple[str, str]]] = {}
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                subjects.setdefault(t.subject.value, []).append((t.predicate.value, _show(t.object)))
        body = render_template("vocabulary.html", title=title, subjects=sorted(subjects.items()))
        response = Response(body, content_type="text/html; charset=utf-8")
    else:
        response = Response(serialize(triples, fmt), content_type=fmt.content_type())
    add_alternates(response.headers, request.base_url, TRIPLE_FORMATS)
    return response


def _show(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "(structure)"
    return getattr(term, "value", str(term))
