"""The compiled overlap counts equal the readable ones."""

import numpy as np

from services.dedup import overlaps
from services.dedup.fingerprint import (
    screen,
)
from services.dedup.recordstore import DocRecord
from services.dedup.similarity import overlap_counts
from tests.unit.dedup.texts import neardup_texts, plain_fingerprint

U64 = np.uint64


def test_compare_counts_equal_the_readable_ones() -> None:
    rng = np.random.default_rng(11)
    texts = neardup_texts()
    empty = np.zeros(0, dtype=U64)
    fps = [plain_fingerprint(text) for text in texts[:80]]
    for index, fp in enumerate(fps):
        other = fps[(index + 1) % len(fps)] if index % 3 else fp
        samples = [other.sample(128), rng.permutation(other.sample(128))]
        if fp.size:
            samples.append(np.sort(rng.choice(fp.shingles, min(128, fp.size), replace=False)))
        for sample in samples:
            ledes = [other.lede, fp.lede[::-1].copy(), empty]
            for lede in ledes:
                for boilerplate in (empty, np.sort(rng.choice(sample, min(9, sample.size)))):
                    record = DocRecord(1, "a", "s", 0, 0, None, 900, sample, lede, empty, True)
                    for position in (0.5, 1.0, 0.0):
                        expected = overlap_counts(fp, record, boilerplate, position)
                        got = overlaps.compare_counts(
                            fp.shingles,
                            fp.sequence,
                            fp.lede,
                            sample,
                            lede,
                            boilerplate,
                            screen(boilerplate),
                            position,
                        )
                        assert got == expected
