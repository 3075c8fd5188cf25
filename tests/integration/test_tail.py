"""`newsflow tail` reads the processed topic, optionally skipping duplicates by header."""

from __future__ import annotations

import io

from services.core.headers import NF_VERDICT
from services.core.records import OutgoingRecord
from services.core.settings import Settings
from services.store.tail import tail
from tests.integration.flow import create_topics, produce
from tests.unit.store.factory import make_article


async def test_tail_prints_processed_articles_and_skips_duplicates(settings: Settings) -> None:
    topics = await create_topics(settings)
    verdicts = ["unique", "duplicate", "update"]
    records = []
    for n, verdict in enumerate(verdicts):
        article = make_article(n, verdict=verdict, story_id="article-0000")  # type: ignore[arg-type]
        headers = [(NF_VERDICT, verdict.encode())]
        records.append(
            OutgoingRecord(topics.processed, article.id.encode(), article.to_bytes(), headers)
        )
    await produce(settings, records)

    everything = io.StringIO()
    assert (
        await tail(
            settings,
            from_beginning=True,
            skip_duplicates=False,
            as_json=False,
            limit=3,
            out=everything,
        )
        == 3
    )
    lines = everything.getvalue().splitlines()
    assert sorted(line.split("\t")[:2] for line in lines) == [
        ["duplicate", "article-0001"],
        ["unique", "article-0000"],
        ["update", "article-0002"],
    ]

    skipping = io.StringIO()
    assert (
        await tail(
            settings, from_beginning=True, skip_duplicates=True, as_json=True, limit=2, out=skipping
        )
        == 2
    )
    ids = [line for line in skipping.getvalue().splitlines()]
    assert all('"id":"article-0001"' not in line for line in ids) and len(ids) == 2
