"""Imported by the fork server before it forks any write process: the closed base, the
shapes and rdflib's update parser are then built once and shared copy-on-write, not
rebuilt by every write (they cost a write ~3 s otherwise). Importing it does that work."""

from __future__ import annotations

from jtkg.graph.base import default_base
from jtkg.graph.change import Change, touched
from jtkg.graph.validate import validate

default_base()
validate([])  # loads the shapes and pyshacl's machinery
touched(Change("update", text="INSERT DATA { <urn:x:s> <urn:x:p> 1 }"), None)  # type: ignore[arg-type]
