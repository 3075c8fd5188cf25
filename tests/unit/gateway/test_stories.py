"""A story's body: its copies, their distinct sources and each copy's dedup evidence."""

from __future__ import annotations

from services.gateway.stories import story_of
from tests.unit.store.factory import make_article


def test_story_sources_and_evidence() -> None:
    first = make_article(0, source="b.example")
    copy = make_article(
        1, source=None, verdict="duplicate", story_id="article-0000", duplicate_of="article-0000"
    )
    story = story_of("article-0000", [first, copy])
    assert story.sources == ["b.example", "unknown"]
    assert story.evidence[1]["duplicate_of"] == "article-0000"
    assert story.evidence[1]["evidence"] == {"jaccard": 0.97}
