import numpy as np
import pytest

from services.dedup.fingerprint import anchor_keys
from services.dedup.index import DEAD, CandidateIndex, SlotTable
from services.dedup.multimap import MultiMap


def _u32(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.uint32)


def test_multimap_add_lookup_across_runs() -> None:
    table = MultiMap(np.uint32, buffer=8)
    for seq in range(100):
        table.add(_u32(seq % 10, 1000 + seq), _u32(seq, seq))
    assert len(table) == 200
    which, vals = table.lookup(_u32(3, 1050, 77777))
    assert sorted(vals[which == 0].tolist()) == list(range(3, 100, 10))
    assert vals[which == 1].tolist() == [50]
    assert not np.any(which == 2)


def test_multimap_directory_lookup_matches_bruteforce() -> None:
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 2**32, 20_000, dtype=np.uint64).astype(np.uint32)
    table = MultiMap(np.uint32, buffer=512)
    for start in range(0, keys.size, 1000):
        chunk = keys[start : start + 1000]
        table.add(chunk, np.arange(start, start + chunk.size, dtype=np.uint32))
    probe = np.concatenate((keys[::97], _u32(1, 2, 3)))
    which, vals = table.lookup(probe)
    for i, key in enumerate(probe.tolist()):
        expected = sorted(np.flatnonzero(keys == key).tolist())
        assert sorted(vals[which == i].tolist()) == expected


def test_multimap_purge_drops_rejected_values() -> None:
    table = MultiMap(np.uint64)
    table.add(np.array([5, 5, 6], dtype=np.uint64), _u32(1, 2, 3))
    table.purge(lambda vals: vals != 2)
    _, vals = table.lookup(np.array([5], dtype=np.uint64))
    assert vals.tolist() == [1]
    assert len(table) == 2


def test_slot_table_times_gaps_and_eviction() -> None:
    slots = SlotTable()
    slots.append(10, 100)
    slots.append(12, 300)
    seq32 = _u32(10, 11, 12, 13)
    assert slots.times(seq32).tolist() == [100, DEAD, 300, DEAD]
    with pytest.raises(ValueError, match="not after"):
        slots.append(12, 400)
    assert slots.evict(200) == 2
    assert slots.base == 12
    assert slots.times(seq32).tolist() == [DEAD, DEAD, 300, DEAD]
    assert slots.full_seq(_u32(12)).tolist() == [12]


def test_candidate_index_ranks_by_hits_then_age_and_honours_the_window() -> None:
    index = CandidateIndex()
    shingles = (np.arange(1, 7, dtype=np.uint64) << np.uint64(32)) + np.uint64(5)
    keys = anchor_keys(shingles)
    index.add(0, 100, keys[:2], body_hash=11, url=21)
    index.add(1, 200, keys[:4], body_hash=12, url=21)
    index.add(2, 300, keys[4:], body_hash=None, url=None)
    found = index.candidates(shingles, limit=10)
    assert [(c.seq, c.hits) for c in found] == [(1, 4), (0, 2), (2, 2)]
    assert index.candidates(shingles, limit=1)[0].seq == 1
    assert index.by_url(21) == [0, 1]
    assert index.by_body(11) == [0]
    index.advance(150)
    assert [c.seq for c in index.candidates(shingles, limit=10)] == [1, 2]
    assert index.by_url(21) == [1]
    assert index.by_body(11) == []
    index.advance(0)  # never moves back
    assert index.cutoff == 150
    before = index.nbytes
    assert index.sweep() >= 1
    assert index.nbytes <= before
    assert [c.seq for c in index.candidates(shingles, limit=10)] == [1, 2]
