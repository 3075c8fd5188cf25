"""The compiled sorted-set kernels: sorting as numpy does, a screen without false negatives."""

import numpy as np

from services.dedup import overlaps, sortedsets
from services.dedup.fingerprint import (
    Fingerprint,
)
from services.dedup.recordstore import DocRecord
from services.dedup.similarity import overlap_counts

U64 = np.uint64


def test_hash_sort_equals_numpy() -> None:
    rng = np.random.default_rng(9)
    for size in (0, 1, 2, 31, 32, 33, 500, 5000):
        values = rng.integers(0, 2**64, size, dtype=U64)
        assert sortedsets.sort_hashes(values).tolist() == np.sort(values).tolist()
        clumped = np.repeat(values[:7], 50) if size else values
        assert sortedsets.sort_hashes(clumped).tolist() == np.sort(clumped).tolist()
        assert sortedsets.sorted_unique(clumped).tolist() == np.unique(clumped).tolist()
        small = rng.integers(0, 40, size, dtype=U64)  # all in one bucket
        assert sortedsets.sort_hashes(small).tolist() == np.sort(small).tolist()


def test_screen_has_no_false_negatives() -> None:
    rng = np.random.default_rng(3)
    values = np.sort(rng.integers(0, 2**64, 3000, dtype=U64))
    bits = sortedsets.screen(values)
    others = rng.integers(0, 2**64, 3000, dtype=U64)
    empty = np.zeros(0, dtype=U64)
    for probe in (values, others):
        fp = Fingerprint(0, np.sort(probe), probe, probe[:24], 0, 0)
        record = DocRecord(
            1, "a", "s", 0, 0, None, probe.size, np.sort(probe)[:128], probe[:24], empty, True
        )
        expected = overlap_counts(fp, record, values, 0.5)
        got = overlaps.compare_counts(
            fp.shingles, fp.sequence, fp.lede, record.sample, record.lede, values, bits, 0.5
        )
        assert got == expected
