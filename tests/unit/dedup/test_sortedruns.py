"""The multimap's sorted-run kernels: lookups and candidate ranking equal brute force."""

import numpy as np

from services.dedup.index import DEAD, CandidateIndex
from services.dedup.multimap import MultiMap

U64 = np.uint64


def test_multimap_lookup_matches_bruteforce_with_shift_buffer_and_unsorted_queries() -> None:
    rng = np.random.default_rng(13)
    table = MultiMap(np.uint32, buffer=300)
    keys = rng.integers(0, 2**12, 5000, dtype=np.uint64).astype(np.uint32)  # many duplicates
    for start in range(0, keys.size, 250):
        chunk = keys[start : start + 250]
        table.add(chunk, np.arange(start, start + chunk.size, dtype=np.uint32))
    extra = rng.integers(0, 2**12, 40, dtype=np.uint64).astype(np.uint32)
    table.add_distinct(extra.astype(U64) << U64(32), 9999, shift=32)  # stays in the buffer
    every = np.concatenate((keys, np.unique(extra)))
    values = np.concatenate((np.arange(keys.size), np.full(np.unique(extra).size, 9999)))
    for query in (np.sort(keys[::37]), keys[::41], np.array([0, 4095, 77], dtype=np.uint32)):
        which, found = table.lookup(query.astype(U64) << U64(32), shift=32)
        for position, key in enumerate(query.tolist()):
            expected = sorted(values[every == key].tolist())
            assert sorted(found[which == position].tolist()) == expected


def test_candidates_rank_like_unique_and_lexsort() -> None:
    rng = np.random.default_rng(17)
    index = CandidateIndex()
    shingles = np.sort(rng.integers(0, 2**64, 400, dtype=U64))
    for seq in range(300):
        anchors = rng.choice(shingles, 6, replace=False)
        index.add(seq, seq, anchors, body_hash=seq % 7, url=seq % 11, shift=32)
    index.advance(40)
    probe = shingles[:256]
    found = index.candidates(probe, 1000)
    # the numpy ranking it replaces: lookup, liveness, unique counts, lexsort
    _, seq32 = index._anchors.lookup((probe >> U64(32)).astype(np.uint32))
    times = index._slots.times(seq32)
    alive = seq32[times >= index.cutoff]
    seqs, hits = np.unique(index._slots.full_seq(alive), return_counts=True)
    order = np.lexsort((seqs, -hits))
    assert [(c.seq, c.hits) for c in found] == [(int(seqs[i]), int(hits[i])) for i in order]
    assert index.by_body(3) == sorted(s for s in range(40, 300) if s % 7 == 3)
    assert index.by_url(5) == sorted(s for s in range(40, 300) if s % 11 == 5)
    assert index.cutoff > DEAD
