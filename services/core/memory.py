"""Giving memory back to the system: freed blocks, for services that handle large request
bodies, and the pages of a library a service no longer runs.

glibc serves a block by ``mmap`` (and unmaps it when freed) only above a threshold, and it raises
that threshold to the size of every mapped block freed, up to 32 MiB. Once a process has freed
one batch body of tens of MiB, everything smaller comes from its heaps, whose free space glibc
keeps: the ingest service then stayed near 1 GB after pushes of HTML batches. A fixed threshold
stops the raising.

A shared library's code and constants count in a process's resident set once touched; LLVM's
(numba's compiler) is ~100 MB of it once loaded, though the parser needs it only to load its
compiled kernels. Those pages are copies of the file: the process can drop them and read them
again if it ever uses them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
from pathlib import Path
from typing import Any

M_MMAP_THRESHOLD = -3  # mallopt's parameter numbers (malloc.h)
M_ARENA_MAX = -8
MAX_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's ceiling on 64-bit systems
_MAPPING = re.compile(r"[0-9a-f]+-[0-9a-f]+")


def fix_mmap_threshold(threshold_bytes: int) -> bool:
    """Have glibc map blocks of at least ``threshold_bytes`` (and unmap them when freed), with
    the threshold fixed; ``False`` where that cannot be set (not glibc, or out of range)."""
    if not 0 < threshold_bytes <= MAX_MMAP_THRESHOLD:
        return False
    mallopt = _libc_function("mallopt")
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, threshold_bytes))


def limit_arenas(count: int) -> bool:
    """Have glibc's threads share at most ``count`` heaps (arenas). Each thread that allocates
    gets an arena of its own while there are fewer than 8 per core, and an arena keeps the free
    space of what it served: a process whose worker threads take turns at large batches holds
    the high water of each. ``False`` where that cannot be set (not glibc, or ``count`` < 1)."""
    mallopt = _libc_function("mallopt") if count >= 1 else None
    return mallopt is not None and bool(mallopt(M_ARENA_MAX, count))


def trim() -> bool:
    """Give the free pages of every arena back to the system (``malloc_trim(0)``); ``True`` if
    any went, ``False`` if none did or where there is no such function."""
    malloc_trim = _libc_function("malloc_trim")
    return malloc_trim is not None and bool(malloc_trim(0))


MADV_DONTNEED = 4  # madvise's advice number (Linux): drop these pages from the process


def release_library_pages(fragment: str) -> int:
    """Drop from this process the resident pages of the shared libraries whose path holds
    ``fragment``: their code and read-only data, which the process reads again from the file
    (through the page cache) if it ever uses them. Only mappings that cannot be written and hold
    no page of the process's own (``Anonymous: 0`` in ``/proc/self/smaps``: no relocated data) are
    dropped, so nothing but copies of the file goes. Returns the bytes of the mappings dropped
    (0 where that is not possible: not Linux)."""
    try:
        smaps = Path("/proc/self/smaps").read_text()
    except OSError:
        return 0
    madvise = _libc_function("madvise")
    if madvise is None:
        return 0
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    released = 0
    for start, end in _file_only_mappings(smaps, fragment):
        if madvise(start, end - start, MADV_DONTNEED) == 0:
            released += end - start
    return released


def _file_only_mappings(smaps: str, fragment: str) -> list[tuple[int, int]]:
    """The address ranges of the read-only mappings of files whose path holds ``fragment`` and
    that hold no anonymous (copied-on-write) page, from ``/proc/self/smaps``' text."""
    found: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for line in smaps.splitlines():
        fields = line.split(maxsplit=5)
        if fields and _MAPPING.fullmatch(fields[0]):  # a mapping's first line: its range and path
            matches = len(fields) == 6 and fragment in fields[5] and "w" not in fields[1]
            low, high = (int(bound, 16) for bound in fields[0].split("-"))
            current = (low, high) if matches else None
        elif current is not None and fields[:1] == ["Anonymous:"]:
            if fields[1] == "0":
                found.append(current)
            current = None
    return found


@functools.cache
def _libc_function(name: str) -> Any:
    """glibc's function ``name`` through ctypes, or None where there is no such function."""
    library = ctypes.util.find_library("c")
    return None if library is None else getattr(ctypes.CDLL(library), name, None)
