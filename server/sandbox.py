"""Limits a query worker puts on itself before it opens any store: no network, bounded memory.

The SERVICE guard (graph/sparql_text.py) reads the query before Oxigraph does; if the two
ever read a query differently, Oxigraph would call whatever endpoint the query names. A
worker that cannot create a network socket makes that mistake harmless. The filter is a
seccomp program written here (no dependency, works unprivileged once ``no_new_privs`` is
set): ``socket()`` of any family but AF_UNIX (which multiprocessing's pipes use) fails with
EPERM, and so does ``io_uring_setup`` (io_uring can open sockets without the socket syscall).
System calls of any other architecture ABI (i386, x32) fail with EPERM as a whole, since a
native process never makes them but they would route around the syscall numbers checked.

The memory cap is RLIMIT_AS: past it, allocations fail (Rust aborts, Python raises
MemoryError) and the worker stops, instead of one bad store file or query taking the machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import ipaddress
import os
import platform
import resource
import socket
import struct
import tempfile
import threading
import urllib.parse
from collections.abc import Iterable
from typing import Any

# <linux/audit.h>
AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_AARCH64 = 0xC00000B7
# Per architecture: (AUDIT_ARCH, socket nr, io_uring_setup nr, first nr of a foreign ABI).
_ARCHES = {
    "x86_64": (AUDIT_ARCH_X86_64, 41, 425, 0x40000000),  # x32 syscalls have bit 30 set
    "aarch64": (AUDIT_ARCH_AARCH64, 198, 425, None),
    "arm64": (AUDIT_ARCH_AARCH64, 198, 425, None),
}
AF_UNIX = 1

# <linux/filter.h>, <linux/seccomp.h>, <linux/prctl.h>
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
_NR, _ARCH, _ARG0 = 0, 4, 16  # args[0]'s low word on a little-endian machine (both arches)


class SandboxUnavailable(OSError):
    """The system does not let this process install the filter (why is the message)."""


class NetworkCut(OSError):
    """The process is in its own network namespace, but the forwarding could not be set up:
    it reaches nothing."""


def _program(arch: str, families: tuple[int, ...] = (AF_UNIX,)) -> list[tuple[int, int, int, int]]:
    """The BPF program: (code, jump-if-true, jump-if-false, k) per instruction; ``socket()``
    may create only sockets of ``families``."""
    audit_arch, socket_nr, uring_nr, foreign_from = _ARCHES[arch]
    deny = _RET_ERRNO | errno.EPERM
    prog: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, audit_arch),
        (_RET_K, 0, 0, deny),  # another ABI: refuse every call
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if foreign_from is not None:
        prog += [(_JGE_K, 0, 1, foreign_from), (_RET_K, 0, 0, deny)]
    prog += [
        (_JEQ_K, 0, 1, uring_nr),
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, len(families) + 2, socket_nr),  # not socket(): allow
        (_LD_W_ABS, 0, 0, _ARG0),  # the address family (an int)
    ]
    prog += [(_JEQ_K, len(families) - i, 0, family) for i, family in enumerate(families)]
    prog += [(_RET_K, 0, 0, deny), (_RET_K, 0, 0, _RET_ALLOW)]
    return prog


def block_network(inet: bool = False) -> None:
    """Makes every later ``socket()`` but AF_UNIX fail with EPERM, for this process and its
    children, for good. Raises SandboxUnavailable where the system does not allow it.
    ``inet`` also allows TCP/IP sockets (in a worker's own network namespace, where they
    reach only the forwarded endpoints): netlink, packet sockets and io_uring stay refused."""
    arch = platform.machine()
    if arch not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp filter for the {arch} architecture")
    if struct.pack("=H", 1) != b"\x01\x00":  # pragma: no cover - both arches are little-endian
        raise SandboxUnavailable("big-endian machine")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    program = _program(arch, (AF_UNIX, socket.AF_INET, socket.AF_INET6) if inet else (AF_UNIX,))
    raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
    filters = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program), ctypes.addressof(filters))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(NO_NEW_PRIVS): {errno.errorcode.get(ctypes.get_errno())}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        code = ctypes.get_errno()
        raise SandboxUnavailable(f"prctl(SECCOMP): {errno.errorcode.get(code, code)}")
    try:  # trust, but check
        socket.socket(socket.AF_NETLINK if inet else socket.AF_INET, socket.SOCK_DGRAM).close()
    except PermissionError:
        return
    raise SandboxUnavailable("the seccomp filter did not take effect")


def try_connect(_store: object, host: str, port: int) -> str:
    """Whether this process may open a TCP connection (a diagnostic; runs in a worker with
    QueryPool.call): "refused by the sandbox", "connected", or the error."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
            sock.settimeout(2)
            sock.connect((host, port))
            return "connected"
    except PermissionError:
        return "refused by the sandbox"
    except OSError as exc:
        return f"not connected: {exc}"


def cap_memory(megabytes: int) -> None:
    """Caps this process's address space at ``megabytes`` MB (RLIMIT_AS)."""
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def fewer_malloc_arenas() -> None:
    """glibc reserves 64 MB of address space per thread arena; under RLIMIT_AS that would
    count against the cap without holding any data, so a worker keeps two."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


# --- Network namespace: the network only to allowed endpoints -------------------------------
#
# When SERVICE has an allowlist (or the store is external), a worker needs the network, and
# seccomp cannot filter by address. Such a worker moves into a network namespace of its own
# holding only a loopback interface; for each allowed endpoint (host, port) it listens on a
# loopback address there (the endpoint's own address if it is an IP literal, else one that
# a private /etc/hosts maps the name to), and hands the listening socket to the pool, which
# forwards what arrives to that endpoint and nowhere else. A SERVICE to any other host finds
# no route, whatever the query text says. TLS passes through unchanged (names are kept).

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 1 << 14, 1 << 18
_SIOCSIFFLAGS, _IFF_UP, _IFF_RUNNING = 0x8914, 0x1, 0x40

Endpoint = tuple[str, int]


def allowlist(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The allowlist setting as a tuple of IRIs (a string is split on spaces and commas).

    Here, beside endpoints_of, so that workers.py reads it without importing settings.py
    (which imports workers.py for its defaults)."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(value)


def endpoints_of(iris: Iterable[str]) -> list[Endpoint]:
    """The (host, port) pairs the IRIs name, each once (IRIs that are not http(s) are skipped)."""
    found: list[Endpoint] = []
    for iri in iris:
        parts = urllib.parse.urlsplit(iri)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            continue
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            continue
        if (parts.hostname, port) not in found:
            found.append((parts.hostname, port))
    return found


def _libc_call(name: str, *args: Any) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if getattr(libc, name)(*args) != 0:
        code = ctypes.get_errno()
        raise SandboxUnavailable(f"{name}: {os.strerror(code)}")


def isolate_network(endpoints: list[Endpoint]) -> list[socket.socket]:
    """Moves this (single-threaded) process into its own network namespace and returns one
    listening socket per endpoint, in order. Raises SandboxUnavailable where not allowed."""
    try:  # root (CAP_SYS_ADMIN) needs no user namespace; anyone else does
        _libc_call("unshare", CLONE_NEWNET | CLONE_NEWNS)
    except SandboxUnavailable:
        uid, gid = os.getuid(), os.getgid()
        _libc_call("unshare", CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS)
        for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)
    try:
        return _listen(endpoints)
    except OSError as exc:  # in the new namespace already: no network at all, and it says so
        raise NetworkCut(str(exc)) from None


def _listen(endpoints: list[Endpoint]) -> list[socket.socket]:
    addresses: list[str] = []
    names = [] if any(host == "localhost" for host, _ in endpoints) else ["127.0.0.1 localhost"]
    for i, (host, _) in enumerate(endpoints):
        try:
            ipaddress.ip_address(host)
            addresses.append(host)
        except ValueError:  # a name: an address of its own, that only this hosts file knows
            addresses.append(f"127.99.{i // 250}.{i % 250 + 1}")
            names.append(f"{addresses[-1]} {host}")
    _mount_hosts("\n".join(names) + "\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:  # lo starts down
        fcntl.ioctl(control, _SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", _IFF_UP | _IFF_RUNNING))
    listeners = []
    for address, (_, port) in zip(addresses, endpoints, strict=True):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((address, port))
        listener.listen(64)
        listeners.append(listener)
    return listeners


def _mount_hosts(text: str) -> None:
    """A private /etc/hosts, in a private mount namespace (unshared with the network)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
    folder = tempfile.mkdtemp(prefix="jtkg-worker-")
    hosts = os.path.join(folder, "hosts")
    with open(hosts, "w") as handle:
        handle.write(text)
    try:
        for args in (
            (None, b"/", None, _MS_REC | _MS_PRIVATE, None),
            (hosts.encode(), b"/etc/hosts", None, _MS_BIND, None),
        ):
            if libc.mount(*args) != 0:
                raise SandboxUnavailable(f"mount: {os.strerror(ctypes.get_errno())}")
    finally:  # the bind mount keeps the file itself
        os.unlink(hosts)
        os.rmdir(folder)


class Forwarder:
    """In the pool: accepts on a listening socket from a worker's namespace and forwards each
    connection to one endpoint, until closed."""

    def __init__(self, listener: socket.socket, endpoint: Endpoint) -> None:
        self.listener = listener
        self.endpoint = endpoint
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        listener.settimeout(0.5)
        threading.Thread(target=self._accept, daemon=True, name=f"forward {endpoint}").start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.endpoint, timeout=30)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        with self._lock:
            if self._closed.is_set():
                client.close()
                upstream.close()
                return
            self._open.update((client, upstream))
        back = threading.Thread(target=_copy, args=(upstream, client), daemon=True)
        back.start()
        _copy(client, upstream)
        back.join()
        with self._lock:
            self._open.difference_update((client, upstream))
        client.close()
        upstream.close()

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            sockets = [self.listener, *self._open]
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv()
            sock.close()


def _copy(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_RDWR)
