"""check_many: one transaction per batch, same verdicts as one-by-one, rollback on failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from services.dedup.decision import Decision, DedupInput
from services.dedup.engine import DedupEngine
from services.dedup.errors import EmptyBodyError
from services.dedup.statestore import DedupState
from tests.unit.dedup.stream import SETTINGS, Clock, stream_articles


def _kinds(results: list[Decision | Exception]) -> list[tuple[str, str, str | None]]:
    return [
        ("error", type(r).__name__, None)
        if isinstance(r, Exception)
        else (r.kind.value, r.story_id, r.duplicate_of)
        for r in results
    ]


async def test_batches_give_the_same_verdicts_as_one_by_one(tmp_path: Path) -> None:
    articles = stream_articles()
    one_by_one = await DedupEngine.open(tmp_path / "a.db", SETTINGS, Clock())
    async with one_by_one:
        expected = [await one_by_one.check(a) for a in articles]
    batched = await DedupEngine.open(tmp_path / "b.db", SETTINGS, Clock())
    async with batched:
        results: list[Decision | Exception] = []
        for start in range(0, len(articles), 7):
            results += await batched.check_many(articles[start : start + 7])
    assert _kinds(results) == _kinds(list(expected))
    assert {r.kind.value for r in expected} >= {"unique", "duplicate", "update"}
    async with await DedupEngine.open(tmp_path / "b.db", SETTINGS, Clock()) as reopened:
        assert await reopened.check_many(articles) == results, "replayed from the written state"


async def test_a_tiny_record_cache_reads_the_rest_from_the_state_file(tmp_path: Path) -> None:
    articles = stream_articles()
    async with await DedupEngine.open(tmp_path / "a.db", SETTINGS, Clock()) as engine:
        expected = await engine.check_many(articles)
    tiny = SETTINGS.model_copy(update={"recent_records": 1})
    async with await DedupEngine.open(tmp_path / "b.db", tiny, Clock()) as engine:
        results = [await engine.check(a) for a in articles]
        assert len(engine._recent._records) == 1
    assert _kinds(list(results)) == _kinds(expected)


async def test_an_unreadable_article_gets_its_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    articles = stream_articles()[:3]
    empty = DedupInput("empty", None, "— … ·", None, None)
    async with await DedupEngine.open(tmp_path / "s.db", SETTINGS, Clock()) as engine:
        results = await engine.check_many([articles[0], empty, articles[1], articles[0]])
        assert isinstance(results[1], EmptyBodyError)
        assert not isinstance(results[0], Exception) and results[3] == results[0], "replay in batch"
        with pytest.raises(EmptyBodyError):
            await engine.check(empty)


async def test_a_failed_write_rolls_back_the_batch_and_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = stream_articles()[:10]
    path = tmp_path / "s.db"
    async with await DedupEngine.open(path, SETTINGS, Clock()) as engine:
        first = await engine.check_many(articles[:5])
        real_write = DedupState.write_many

        async def failing_write(self: DedupState, outcomes: object) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(DedupState, "write_many", failing_write)
        with pytest.raises(sqlite3.OperationalError):
            await engine.check_many(articles[5:])
        monkeypatch.setattr(DedupState, "write_many", real_write)
        retried = await engine.check_many(articles[5:])
    async with await DedupEngine.open(tmp_path / "fresh.db", SETTINGS, Clock()) as fresh:
        expected = await fresh.check_many(articles)
    assert _kinds([*first, *retried]) == _kinds(expected)
