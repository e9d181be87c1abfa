"""What a worker process does to itself first: die with its parent, cap its memory."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
from pathlib import Path


def address_space() -> int:
    """Bytes of address space this process maps now (0 where /proc is not there)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def cap_memory(megabytes: int) -> None:
    """RLIMIT_AS at what the child already maps (inherited from its parent) plus the
    document's budget: past it allocations fail and Python raises MemoryError. (The child
    has one thread, so glibc's per-thread arenas do not eat into the budget.)"""
    limit = address_space() + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def die_with_parent() -> None:
    """Linux: a parent killed outright (no clean-up runs) takes its children with it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
