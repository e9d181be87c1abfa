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

import ctypes
import ctypes.util
import errno
import platform
import resource
import socket
import struct

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


def _program(arch: str) -> list[tuple[int, int, int, int]]:
    """The BPF program: (code, jump-if-true, jump-if-false, k) per instruction."""
    audit_arch, socket_nr, uring_nr, foreign_from = _ARCHES[arch]
    deny = _RET_ERRNO | errno.EPERM
    prog: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, audit_arch),
        (_RET_K, 0, 0, deny),                      # another ABI: refuse every call
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if foreign_from is not None:
        prog += [(_JGE_K, 0, 1, foreign_from), (_RET_K, 0, 0, deny)]
    prog += [
        (_JEQ_K, 0, 1, uring_nr),
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 3, socket_nr),                 # not socket(): allow
        (_LD_W_ABS, 0, 0, _ARG0),                  # the address family (an int)
        (_JEQ_K, 1, 0, AF_UNIX),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    return prog


def block_network() -> None:
    """Makes every later ``socket()`` but AF_UNIX fail with EPERM, for this process and its
    children, for good. Raises SandboxUnavailable where the system does not allow it."""
    arch = platform.machine()
    if arch not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp filter for the {arch} architecture")
    if struct.pack("=H", 1) != b"\x01\x00":  # pragma: no cover - both arches are little-endian
        raise SandboxUnavailable("big-endian machine")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                           ctypes.c_ulong]
    program = _program(arch)
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
        socket.socket(socket.AF_INET).close()
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
