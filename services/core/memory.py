"""Giving freed memory back to the system, for services that handle large request bodies.

glibc serves a block by ``mmap`` (and unmaps it when freed) only above a threshold, and it raises
that threshold to the size of every mapped block freed, up to 32 MiB. Once a process has freed
one batch body of tens of MiB, everything smaller comes from its heaps, whose free space glibc
keeps: the ingest service then stayed near 1 GB after pushes of HTML batches. A fixed threshold
stops the raising.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
MAX_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's ceiling on 64-bit systems


def fix_mmap_threshold(threshold_bytes: int) -> bool:
    """Have glibc map blocks of at least ``threshold_bytes`` (and unmap them when freed), with
    the threshold fixed; ``False`` where that cannot be set (not glibc, or out of range)."""
    if not 0 < threshold_bytes <= MAX_MMAP_THRESHOLD:
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    mallopt = getattr(ctypes.CDLL(name), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, threshold_bytes))
