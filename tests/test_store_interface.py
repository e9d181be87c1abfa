"""One store interface (graph/location.py): the embedded store and the external SPARQL store
are both a Location, their published handles both a Published, their data both a Dataset.

Checked three ways: statically with mypy (when installed), at run time with the Protocols'
isinstance, and by one sequence of calls run on each store (`exercise`, used here on the
embedded store and in tests/test_external_store.py on Virtuoso).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from jtkg.graph.location import Dataset, Location, Published
from jtkg.graph.remote import RemoteLocation, open_location
from jtkg.graph.remote_dataset import RemoteDataset
from jtkg.graph.remote_http import RemoteConfig
from jtkg.graph.store import StoreLocation

ROOT = Path(__file__).resolve().parents[1]
#: The layer folders, installed as subpackages of the `jtkg` namespace (pyproject.toml).
LAYERS = ("ontology", "loaders", "graph", "server", "corpus")
STORE_MODULES = ("graph/store.py", "graph/remote.py", "graph/remote_dataset.py", "graph/location.py")
GRAPH = "https://example.org/interface-test/graph"
QUAD = ox.Quad(
    ox.NamedNode("https://example.org/interface-test/s"),
    ox.NamedNode("https://example.org/interface-test/p"),
    ox.Literal("written through the interface"),
    ox.NamedNode(GRAPH),
)
#: A SELECT, not an ASK: Virtuoso 7 answers true to an ASK of a constant triple in any GRAPH.
FIND = f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ {QUAD.subject} {QUAD.predicate} ?o }} }}"


def holds(data: Dataset) -> bool:
    """Whether the published data holds QUAD."""
    return [row["o"] for row in data.query(FIND)] == [QUAD.object]


def exercise(location: Location) -> None:
    """Read, begin a change, publish, read the new generation; then the same through
    ``writing`` (as the server's write process does), removing what was written."""
    assert isinstance(location, Location)
    first = location.current_generation()
    manifest = location.manifest()
    assert first is not None and manifest is not None and manifest.generation == first
    assert location.exists() and not location.is_empty()
    data = location.open()
    assert isinstance(data, Dataset) and len(data) > 0
    assert not holds(data) and GRAPH not in manifest.graphs
    location.check_writable()

    with location.next_generation() as generation:
        generation.store.add(QUAD)
        generation.changed.add(GRAPH)
    second = location.current_generation()
    assert second is not None and second != first
    after = location.manifest()
    assert after is not None and after.graphs[GRAPH] == 1
    assert holds(location.open())
    assert location.open().contains_named_graph(ox.NamedNode(GRAPH))

    handle = location.published()
    assert isinstance(handle, Published) and handle.location is location
    assert handle.generation() == second and holds(handle.get())
    assert isinstance(handle.generation_path(), str)

    with location.writing() as local:
        assert isinstance(local, StoreLocation) and local is location.local
        with local.next_generation() as generation:
            generation.store.remove_graph(ox.NamedNode(GRAPH))
            generation.changed.add(GRAPH)
    third = location.manifest()
    assert third is not None and third.generation not in (first, second)
    assert GRAPH not in third.graphs and not holds(location.open())
    assert location.local.current_generation() == third.generation


def test_the_embedded_store_goes_through_the_interface(store: Path) -> None:
    location = StoreLocation(store)
    assert location.local is location
    exercise(location)


def test_both_stores_satisfy_the_protocols_at_run_time(tmp_path: Path) -> None:
    embedded = StoreLocation(tmp_path / "store")
    remote = open_location(f"sparql+http://127.0.0.1:9/sparql?mirror={tmp_path / 'mirror'}")
    assert isinstance(remote, RemoteLocation)
    for location in (embedded, remote):
        assert isinstance(location, Location)
        assert isinstance(location.published(), Published)
    assert isinstance(remote.local, StoreLocation) and remote.local.path == tmp_path / "mirror"
    assert isinstance(RemoteDataset(remote.client, {}), Dataset)
    # The mirror is one object, owned: not a second location for the same folder.
    assert remote.local is remote.mirror and not hasattr(remote, "path")
    assert not isinstance(remote, StoreLocation)


def test_no_override_needs_a_type_ignore() -> None:
    for name in STORE_MODULES:
        assert "ignore[override]" not in (ROOT / name).read_text(encoding="utf-8"), name


STATIC_CHECK = """
import pyoxigraph as ox

from jtkg.graph.location import Dataset, Location, Published
from jtkg.graph.remote import RemoteLocation, RemotePublished
from jtkg.graph.remote_dataset import RemoteDataset
from jtkg.graph.store import PublishedStore, StoreLocation


def locations(embedded: StoreLocation, external: RemoteLocation) -> list[Location]:
    return [embedded, external]


def handles(embedded: PublishedStore, external: RemotePublished) -> list[Published]:
    return [embedded, external]


def datasets(embedded: ox.Store, external: RemoteDataset) -> list[Dataset]:
    return [embedded, external]
"""

#: A control: a class that lacks most of the interface must be refused.
NOT_A_LOCATION = """
from jtkg.graph.location import Location


class Half:
    keep_generations: int | None = None

    def describe(self) -> str:
        return "half"


where: Location = Half()
"""


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """mypy on ``source``, with the layer folders seen as the `jtkg` namespace package (the
    editable install's import hook is invisible to mypy)."""
    tree = tmp_path / "tree"
    (tree / "jtkg").mkdir(parents=True, exist_ok=True)
    for layer in LAYERS:
        link = tree / "jtkg" / layer
        if not link.exists():
            link.symlink_to(ROOT / layer, target_is_directory=True)
    check = tmp_path / "check.py"
    check.write_text(source, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--follow-imports=silent",
            "--ignore-missing-imports",
            "--no-incremental",
            "--cache-dir=/dev/null",
            str(check),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"MYPYPATH": str(tree), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )


def test_both_stores_satisfy_the_protocols_statically(tmp_path: Path) -> None:
    if (
        shutil.which("mypy") is None
        and subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True).returncode
    ):
        pytest.skip("mypy is not installed (pip install mypy)")
    checked = _mypy(tmp_path, STATIC_CHECK)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    refused = _mypy(tmp_path, NOT_A_LOCATION)
    assert refused.returncode == 1 and "incompatible type" in refused.stdout.lower(), refused.stdout


def test_the_external_config_never_shows_its_password(tmp_path: Path) -> None:
    config = RemoteConfig.parse(f"sparql+http://someone:pw-in-url@127.0.0.1:9/q?mirror={tmp_path}", {})
    assert config.password == "pw-in-url"
    location = RemoteLocation(config)
    for text in (repr(config), str(config), location.describe(), repr(location.published())):
        assert "pw-in-url" not in text
