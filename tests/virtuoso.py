"""A throwaway OpenLink Virtuoso (Debian's ``virtuoso-opensource``) on 127.0.0.1, with its own
temporary database and configuration, for the external-store tests."""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
BINARY = "virtuoso-t"
#: Seconds to wait for the HTTP listener after the server says it is up.
START_TIMEOUT = 60.0


@dataclass
class Virtuoso:
    folder: Path
    http_port: int
    sql_port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def store_url(self) -> str:
        """The jtkg ``--store`` value for this server (Virtuoso's default paths)."""
        return f"sparql+{self.base}/sparql"

    def stop(self) -> None:
        lock = self.folder / "virtuoso.lck"
        try:
            pid = int(lock.read_text().split("=")[-1].strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)


def available() -> bool:
    return shutil.which(BINARY) is not None and PACKAGED_INI.exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(folder: Path) -> Virtuoso:
    """Writes a configuration whose every file lives in ``folder`` and starts the server."""
    folder.mkdir(parents=True, exist_ok=True)
    ini = configparser.RawConfigParser(strict=False, interpolation=None)
    ini.optionxform = str  # type: ignore[assignment, method-assign]  # keep key case
    ini.read(PACKAGED_INI, encoding="utf-8")
    for key, name in (
        ("DatabaseFile", "virtuoso.db"),
        ("ErrorLogFile", "virtuoso.log"),
        ("LockFile", "virtuoso.lck"),
        ("TransactionFile", "virtuoso.trx"),
        ("xa_persistent_file", "virtuoso.pxa"),
    ):
        ini["Database"][key] = str(folder / name)
    ini["TempDatabase"]["DatabaseFile"] = str(folder / "virtuoso-temp.db")
    ini["TempDatabase"]["TransactionFile"] = str(folder / "virtuoso-temp.trx")
    server = Virtuoso(folder, _free_port(), _free_port())
    ini["Parameters"]["ServerPort"] = f"127.0.0.1:{server.sql_port}"
    ini["Parameters"]["DirsAllowed"] = f"., {folder}, /usr/share/virtuoso-opensource-7/vad"
    ini["HTTPServer"]["ServerPort"] = f"127.0.0.1:{server.http_port}"
    # Small, fast settings for a test database.
    ini["Parameters"]["NumberOfBuffers"] = "20000"
    ini["Parameters"]["MaxDirtyBuffers"] = "15000"
    ini["SPARQL"]["ResultSetMaxRows"] = "1000000"
    ini["SPARQL"]["MaxQueryExecutionTime"] = "60"
    path = folder / "virtuoso.ini"
    with open(path, "w", encoding="utf-8") as handle:
        ini.write(handle)
    subprocess.run(
        [BINARY, "+configfile", str(path), "+wait"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=START_TIMEOUT,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"{server.base}/sparql?query=ASK%7B%7D", timeout=5):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"Virtuoso did not answer on {server.base}; see {folder / 'virtuoso.log'}"
                ) from None
            time.sleep(0.3)
