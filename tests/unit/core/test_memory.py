"""A fixed mmap threshold gives freed large blocks back to the system (ingest's bodies)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from services.core.memory import (
    MAX_MMAP_THRESHOLD,
    fix_mmap_threshold,
    limit_arenas,
    release_library_pages,
)
from services.core.settings import Settings

# The process's resident set in MiB, for the scripts below (each run in a process of its own).
_RSS_MIB = """def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
"""

# Frees one large block (glibc then raises its threshold to that size), then allocates 200 blocks
# of 1 MiB, each followed by a small block that stays, and frees the large ones: the RSS that is
# left above the start, in MiB.
_SCRIPT = (
    _RSS_MIB
    + """
import sys
from services.core.memory import fix_mmap_threshold

if sys.argv[1] == "fixed":
    assert fix_mmap_threshold(128 * 1024)
big = b"x" * (24 * 1024 * 1024)
del big
start = rss_mib()
blocks, kept = [], []
for n in range(200):
    blocks.append(bytes([n % 256]) * (1024 * 1024))
    kept.append(bytes([n % 256]) * 2048)
del blocks
print(round(rss_mib() - start))
"""
)


def _mib_left_by(script: str, *args: str) -> int:
    """What ``script`` prints (the MiB it left resident), run in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def _left_mib(mode: str) -> int:
    return _mib_left_by(_SCRIPT, mode)


def test_freed_large_blocks_go_back_with_the_threshold_fixed() -> None:
    assert _left_mib("fixed") < 20


def test_without_it_glibc_keeps_them_after_one_large_block() -> None:
    """The behaviour the setting exists for (so the test above can tell the two apart)."""
    assert _left_mib("default") > 150


@pytest.mark.parametrize("threshold", [0, -1, MAX_MMAP_THRESHOLD + 1])
def test_a_threshold_out_of_range_is_refused(threshold: int) -> None:
    assert fix_mmap_threshold(threshold) is False


def test_the_setting_is_bounded_by_glibc_ceiling() -> None:
    with pytest.raises(ValidationError, match="ingest_mmap_threshold_bytes"):
        Settings(ingest_mmap_threshold_bytes=MAX_MMAP_THRESHOLD + 1)
    assert Settings(ingest_mmap_threshold_bytes=0).ingest_mmap_threshold_bytes == 0


# Loads numba (and so LLVM's library), loads a compiled kernel, gives the library's pages back,
# runs the kernel again: the library's resident MiB before and after, and the kernel's answers.
_RELEASE_SCRIPT = """
import numpy as np
from services.core.memory import release_library_pages
from services.parser.kernels import count_words

def library_mib():
    total, inside = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
                inside = "libllvmlite" in line
            elif inside and line.startswith("Rss:"):
                total += int(line.split()[1])
    return total / 1024

data, classes = np.frombuffer(b"a b", np.uint8), np.ones(256, np.uint8)
classes[32] = 0
first = count_words(data, classes)
before = library_mib()
advised = release_library_pages("libllvmlite")
after = library_mib()
print(round(before), round(after), advised > 0, first, count_words(data, classes))
"""


def test_a_library_s_pages_go_back_and_its_code_still_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RELEASE_SCRIPT], capture_output=True, text=True, check=True
    )
    before, after, advised, first, again = done.stdout.split()
    assert advised == "True"
    assert int(before) > 20
    assert int(after) < int(before) / 2
    assert first == again == "2"


def test_no_library_of_that_name_advises_nothing() -> None:
    assert release_library_pages("no-such-library-anywhere") == 0


# Four threads, alive together, in turn allocate 1,000 blocks of 40 KiB, keep every tenth and free
# the rest (then the process trims, if told): the RSS left above the start, in MiB.
_ARENAS_SCRIPT = (
    _RSS_MIB
    + """
import sys, threading
from services.core.memory import limit_arenas, trim

if sys.argv[1] == "limited":
    assert limit_arenas(1)
kept, together, turn = [], threading.Barrier(4), threading.Lock()
def work(n):
    together.wait()  # all four alive at once: each gets an arena of its own, if it may
    with turn:
        blocks = [bytes([n]) * 40_000 for _ in range(1000)]
        kept.extend(blocks[::10])
        del blocks
start = rss_mib()
threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
if sys.argv[2] == "trim":
    trim()
print(round(rss_mib() - start))
"""
)


def _arenas_left_mib(arenas: str, end: str) -> int:
    return _mib_left_by(_ARENAS_SCRIPT, arenas, end)


def test_fewer_arenas_keep_less_free_space() -> None:
    assert _arenas_left_mib("limited", "keep") < _arenas_left_mib("default", "keep") - 15


def test_trim_gives_back_the_free_pages_of_every_arena() -> None:
    # what stays is about the blocks kept: 4 x 100 x 40 KiB, ~16 MiB
    assert _arenas_left_mib("default", "keep") > 50
    assert _arenas_left_mib("default", "trim") < 30
    assert _arenas_left_mib("limited", "trim") < 30


def test_an_arena_count_below_one_is_refused() -> None:
    assert limit_arenas(0) is False


def test_the_parser_s_arena_setting_is_a_count() -> None:
    with pytest.raises(ValidationError, match="parser_malloc_arenas"):
        Settings(parser_malloc_arenas=-1)
    assert Settings().parser_malloc_arenas == 2
