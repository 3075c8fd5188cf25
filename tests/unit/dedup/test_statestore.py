"""The dedup state file: verdicts kept across restarts and replays, rows that read back as written,
errors when the file is not ours."""

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
from services.dedup.statestore import _verdict_row
from tests.unit.dedup.stream import SETTINGS, Clock, stream_articles
from tests.unit.dedup.texts import FOOTER, story


async def test_restart_keeps_state_and_gives_identical_verdicts(tmp_path: Path) -> None:
    articles = stream_articles()
    clock = Clock()
    async with await DedupEngine.open(tmp_path / "straight.db", SETTINGS, clock) as engine:
        straight = [await engine.check(a) for a in articles]
    restarted: list[Decision] = []
    for start in range(0, len(articles), 7):  # a restart every 7 articles
        async with await DedupEngine.open(tmp_path / "restart.db", SETTINGS, clock) as engine:
            restarted += [await engine.check(a) for a in articles[start : start + 7]]
    assert restarted == straight
    pure = Deduplicator(SETTINGS)
    assert [pure.check(a, clock()) for a in articles] == straight
    kinds = {v.kind for v in straight}
    assert kinds == {VerdictKind.UNIQUE, VerdictKind.DUPLICATE, VerdictKind.UPDATE}
    assert straight[-1].kind is VerdictKind.UNIQUE  # its original fell out of the window


async def test_replay_after_restart_returns_the_stored_verdict(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    articles = stream_articles()[:10]
    async with await DedupEngine.open(path, SETTINGS) as engine:
        first = [await engine.check(a) for a in articles]
        assert await engine.check(articles[3]) == first[3]
    async with await DedupEngine.open(path, SETTINGS) as engine:
        assert [await engine.check(a) for a in articles] == first
        assert engine.deduplicator.next_seq == len(articles)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM verdicts").fetchone()[0] == len(articles)
        evidence = db.execute("SELECT verdict FROM verdicts WHERE article_id='0-b'").fetchone()
        assert "containment_match" in evidence[0]


async def test_restart_restores_learned_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with await DedupEngine.open(path, SETTINGS) as engine:
        for n in range(4):
            await engine.check(DedupInput(f"f{n}", None, story(n, 1, 20) + "\n" + FOOTER))
        learned = engine.deduplicator.boilerplate.promoted_blocks.tolist()
        shingles = engine.deduplicator.boilerplate.shingles.tolist()
    assert learned
    async with await DedupEngine.open(path, SETTINGS) as engine:
        assert engine.deduplicator.boilerplate.promoted_blocks.tolist() == learned
        assert engine.deduplicator.boilerplate.shingles.tolist() == shingles


async def test_empty_body_is_rejected_and_nothing_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with await DedupEngine.open(path, SETTINGS) as engine:
        with pytest.raises(EmptyBodyError):
            await engine.check(DedupInput("x", None, "  ...  "))
        verdict = await engine.check(DedupInput("x", None, story(1)))
        assert verdict.kind is VerdictKind.UNIQUE


async def test_failed_write_leaves_memory_and_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with await DedupEngine.open(path, SETTINGS) as engine:
        await engine.check(DedupInput("a", None, story(1)))
        with sqlite3.connect(path) as db:  # a foreign row makes the fingerprint insert fail
            db.execute(
                "INSERT INTO fingerprints VALUES (1, 'z', 'z', 0, 0, NULL, 0, x'', x'', x'', 0)"
            )
        with pytest.raises(sqlite3.IntegrityError):
            await engine.check(DedupInput("b", None, story(1)))
        assert engine.deduplicator.next_seq == 1
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 1
            db.execute("DELETE FROM fingerprints WHERE seq = 1")
        retry = await engine.check(DedupInput("b", None, story(1)))
        assert retry.duplicate_of == "a"


async def test_incompatible_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    engine = await DedupEngine.open(path, SETTINGS)
    await engine.close()
    await engine.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await engine.check(DedupInput("a", None, story(1)))
    with pytest.raises(StateError, match="shingle_size"):
        await DedupEngine.open(path, DedupSettings(shingle_size=4))


async def test_state_of_an_older_fingerprint_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    engine = await DedupEngine.open(path, SETTINGS)
    await engine.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StateError, match="schema_version"):
        await DedupEngine.open(path, SETTINGS)


def test_a_verdict_row_holds_numpy_numbers_as_plain_json_numbers() -> None:
    evidence = Evidence(jaccard=np.float64(0.8125), matched_shingles=np.int64(13))  # type: ignore[arg-type]
    similarity = np.float64(0.8125)
    verdict = Decision(
        "a-1", VerdictKind.DUPLICATE, "s-1", "a-0", similarity, Method.NEAR_CONTENT, evidence
    )
    article_id, story_id, text = _verdict_row(verdict)
    assert (article_id, story_id) == ("a-1", "s-1")
    back = Decision.from_dict(json.loads(text))
    assert back == verdict
    assert json.loads(text)["evidence"]["matched_shingles"] == 13
