"""Dedup's state, on each backend (a SQLite file, a PostgreSQL scope): verdicts kept across
restarts and replays, rows that read back as written, errors when the state is not ours."""

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from services.core.settings import DedupSettings
from services.dedup.decision import Decision, DedupInput, Evidence, Method, VerdictKind
from services.dedup.deduplicator import Deduplicator
from services.dedup.engine import DedupEngine
from services.dedup.errors import EmptyBodyError, StateError
from services.dedup.staterows import verdict_row
from tests.unit.dedup.backends import StateBackend
from tests.unit.dedup.stream import SETTINGS, Clock, stream_articles
from tests.unit.dedup.texts import FOOTER, story


async def test_restart_keeps_state_and_gives_identical_verdicts(backend: StateBackend) -> None:
    articles = stream_articles()
    clock = Clock()
    async with await DedupEngine.open(backend.location("straight"), SETTINGS, clock) as engine:
        straight = [await engine.check(a) for a in articles]
    restarted: list[Decision] = []
    for start in range(0, len(articles), 7):  # a restart every 7 articles
        async with await DedupEngine.open(backend.location("restart"), SETTINGS, clock) as engine:
            restarted += [await engine.check(a) for a in articles[start : start + 7]]
    assert restarted == straight
    pure = Deduplicator(SETTINGS)
    assert [pure.check(a, clock()) for a in articles] == straight
    kinds = {v.kind for v in straight}
    assert kinds == {VerdictKind.UNIQUE, VerdictKind.DUPLICATE, VerdictKind.UPDATE}
    assert straight[-1].kind is VerdictKind.UNIQUE  # its original fell out of the window


async def test_replay_after_restart_returns_the_stored_verdict(backend: StateBackend) -> None:
    state = backend.location("state")
    articles = stream_articles()[:10]
    async with await DedupEngine.open(state, SETTINGS) as engine:
        first = [await engine.check(a) for a in articles]
        assert await engine.check(articles[3]) == first[3]
    async with await DedupEngine.open(state, SETTINGS) as engine:
        assert [await engine.check(a) for a in articles] == first
        assert engine.deduplicator.next_seq == len(articles)
    stored = await backend.verdicts("state")
    assert len(stored) == len(articles)
    assert "containment_match" in stored["0-b"]


async def test_the_state_file_is_in_wal_mode(tmp_path: Path) -> None:
    async with await DedupEngine.open(tmp_path / "state.db", SETTINGS) as engine:
        await engine.check(DedupInput("a", None, story(1)))
    with sqlite3.connect(tmp_path / "state.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_restart_restores_learned_boilerplate(backend: StateBackend) -> None:
    path = backend.location("state")
    async with await DedupEngine.open(path, SETTINGS) as engine:
        for n in range(4):
            await engine.check(DedupInput(f"f{n}", None, story(n, 1, 20) + "\n" + FOOTER))
        learned = engine.deduplicator.boilerplate.promoted_blocks.tolist()
        shingles = engine.deduplicator.boilerplate.shingles.tolist()
    assert learned
    async with await DedupEngine.open(path, SETTINGS) as engine:
        assert engine.deduplicator.boilerplate.promoted_blocks.tolist() == learned
        assert engine.deduplicator.boilerplate.shingles.tolist() == shingles


async def test_empty_body_is_rejected_and_nothing_is_stored(backend: StateBackend) -> None:
    path = backend.location("state")
    async with await DedupEngine.open(path, SETTINGS) as engine:
        with pytest.raises(EmptyBodyError):
            await engine.check(DedupInput("x", None, "  ...  "))
        verdict = await engine.check(DedupInput("x", None, story(1)))
        assert verdict.kind is VerdictKind.UNIQUE


async def test_failed_write_leaves_memory_and_state_unchanged(backend: StateBackend) -> None:
    path = backend.location("state")
    async with await DedupEngine.open(path, SETTINGS) as engine:
        await engine.check(DedupInput("a", None, story(1)))
        # a foreign row makes the fingerprint insert fail
        await backend.insert_foreign_fingerprint("state", 1)
        with pytest.raises(backend.integrity_error):
            await engine.check(DedupInput("b", None, story(1)))
        assert engine.deduplicator.next_seq == 1
        assert list(await backend.verdicts("state")) == ["a"]
        await backend.delete_fingerprint("state", 1)
        retry = await engine.check(DedupInput("b", None, story(1)))
        assert retry.duplicate_of == "a"


async def test_incompatible_state_is_refused(backend: StateBackend) -> None:
    path = backend.location("state")
    engine = await DedupEngine.open(path, SETTINGS)
    await engine.close()
    await engine.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await engine.check(DedupInput("a", None, story(1)))
    with pytest.raises(StateError, match="shingle_size"):
        await DedupEngine.open(path, DedupSettings(shingle_size=4))


async def test_state_of_an_older_fingerprint_version_is_refused(backend: StateBackend) -> None:
    path = backend.location("state")
    engine = await DedupEngine.open(path, SETTINGS)
    await engine.close()
    await backend.set_meta("state", "schema_version", "1")
    with pytest.raises(StateError, match="schema_version"):
        await DedupEngine.open(path, SETTINGS)


def test_a_verdict_row_holds_numpy_numbers_as_plain_json_numbers() -> None:
    evidence = Evidence(jaccard=np.float64(0.8125), matched_shingles=np.int64(13))  # type: ignore[arg-type]
    similarity = np.float64(0.8125)
    verdict = Decision(
        "a-1", VerdictKind.DUPLICATE, "s-1", "a-0", similarity, Method.NEAR_CONTENT, evidence
    )
    article_id, story_id, text = verdict_row(verdict)
    assert (article_id, story_id) == ("a-1", "s-1")
    back = Decision.from_dict(json.loads(text))
    assert back == verdict
    assert json.loads(text)["evidence"]["matched_shingles"] == 13
