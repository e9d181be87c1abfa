"""`python -m jtkg.server …` runs the command line, like the `jtkg` command."""

from jtkg.server.cli import main

main()
