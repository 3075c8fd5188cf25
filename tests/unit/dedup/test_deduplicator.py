from datetime import UTC, datetime, timedelta

import pytest

from services.core.settings import DedupSettings
from services.dedup.decision import Decision, DedupInput, Method, VerdictKind
from services.dedup.deduplicator import Deduplicator
from services.dedup.errors import EmptyBodyError
from tests.unit.dedup.texts import FOOTER, edit, story, truncate, wrap

T0 = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)


def _check(
    dedup: Deduplicator, article_id: str, body: str, url: str | None = None, **kw: object
) -> Decision:
    return dedup.check(DedupInput(article_id, url, body, None, **kw))  # type: ignore[arg-type]


def test_new_story_is_unique_with_its_own_story_id() -> None:
    verdict = _check(Deduplicator(DedupSettings()), "a", story(1))
    assert verdict.kind is VerdictKind.UNIQUE
    assert verdict.method is Method.NONE
    assert (verdict.story_id, verdict.duplicate_of) == ("a", None)


def test_exact_content_with_cosmetic_changes() -> None:
    dedup = Deduplicator(DedupSettings())
    _check(dedup, "a", story(1), "https://one.example/a")
    cosmetic = story(1).upper().replace("\n\n", "\n \n").replace(".", " ...")
    verdict = _check(dedup, "b", cosmetic, "https://two.example/b")
    assert verdict.kind is VerdictKind.DUPLICATE
    assert verdict.method is Method.EXACT_CONTENT
    assert (verdict.story_id, verdict.duplicate_of, verdict.similarity) == ("a", "a", 1.0)
    assert verdict.evidence.body_hash_match


def test_same_url_same_body_is_duplicate_changed_body_is_update() -> None:
    dedup = Deduplicator(DedupSettings())
    _check(dedup, "a", story(1), "https://one.example/a")
    same = _check(dedup, "b", story(1), "HTTPS://ONE.example/a#top")
    assert (same.kind, same.method, same.duplicate_of) == (
        VerdictKind.DUPLICATE,
        Method.EXACT_URL,
        "a",
    )
    changed = _check(
        dedup, "c", story(1) + "\n\nUPDATE: the vote was delayed.", "https://one.example/a"
    )
    assert (changed.kind, changed.method, changed.story_id) == (
        VerdictKind.UPDATE,
        Method.EXACT_URL,
        "a",
    )
    assert changed.duplicate_of == "b"  # the latest version with that URL
    assert changed.evidence.url_match and not changed.evidence.body_hash_match


@pytest.mark.parametrize(
    "variant",
    [wrap(story(1)), truncate(story(1)), edit(story(1), seed=3), story(1) + "\n\n" + FOOTER],
    ids=["wrapper", "truncate", "edits", "footer"],
)
def test_near_duplicates_join_the_story(variant: str) -> None:
    dedup = Deduplicator(DedupSettings())
    _check(dedup, "orig", story(1))
    _check(dedup, "other", story(2))
    verdict = _check(dedup, "copy", variant)
    assert verdict.method is Method.NEAR_CONTENT
    assert verdict.kind in (VerdictKind.DUPLICATE, VerdictKind.UPDATE)
    assert (verdict.story_id, verdict.duplicate_of) == ("orig", "orig")
    evidence = verdict.evidence
    assert evidence.containment_threshold == 0.65
    assert evidence.matched_shingles > 0
    assert verdict.similarity >= 0.65


def test_appended_content_is_an_update() -> None:
    dedup = Deduplicator(DedupSettings())
    _check(dedup, "orig", story(1))
    verdict = _check(dedup, "later", story(1) + "\n\n" + story(50, paragraphs=2))
    assert (verdict.kind, verdict.method) == (VerdictKind.UPDATE, Method.NEAR_CONTENT)


def test_short_stories_sharing_a_long_footer_do_not_merge_but_join_originals() -> None:
    dedup = Deduplicator(DedupSettings())
    for n in range(8):
        brief = story(100 + n, paragraphs=1, words=30)
        alone = _check(dedup, f"brief-{n}", brief)
        assert alone.kind is VerdictKind.UNIQUE
        with_footer = _check(dedup, f"footer-{n}", brief + "\n\n" + FOOTER)
        assert with_footer.story_id == f"brief-{n}", with_footer
    for n in range(8):
        lone = _check(dedup, f"lone-{n}", story(200 + n, paragraphs=1, words=30) + "\n" + FOOTER)
        assert lone.kind is VerdictKind.UNIQUE, lone
    assert dedup.boilerplate.promoted_blocks.size >= 1  # the footer was learned


def test_footer_first_stories_do_not_merge_before_it_is_learned() -> None:
    dedup = Deduplicator(DedupSettings())
    first = _check(dedup, "f1", story(300, paragraphs=1, words=25) + "\n\n" + FOOTER)
    second = _check(dedup, "f2", story(301, paragraphs=1, words=25) + "\n\n" + FOOTER)
    assert first.kind is second.kind is VerdictKind.UNIQUE
    assert second.evidence.lede_overlap < 0.2


def test_replay_returns_the_first_verdict() -> None:
    dedup = Deduplicator(DedupSettings())
    _check(dedup, "a", story(1))
    first = _check(dedup, "b", truncate(story(1)))
    assert _check(dedup, "b", truncate(story(1))) == first
    assert _check(dedup, "b", story(99)) == first  # id decides, not content
    again = _check(dedup, "a", story(1))
    assert again.kind is VerdictKind.UNIQUE  # never a duplicate of itself
    assert dedup.next_seq == 2


@pytest.mark.parametrize("body", ["", "   \n\t", "— … !!"])
def test_empty_body_raises(body: str) -> None:
    dedup = Deduplicator(DedupSettings())
    with pytest.raises(EmptyBodyError):
        _check(dedup, "a", body)
    assert isinstance(EmptyBodyError("x"), ValueError)
    assert dedup.next_seq == 0


def test_window_evicts_old_articles() -> None:
    settings = DedupSettings(window_hours=1, sweep_every=1)
    dedup = Deduplicator(settings)
    _check(dedup, "old", story(1), published_at=T0)
    _check(dedup, "filler", story(2), published_at=T0 + timedelta(hours=2))
    late = _check(dedup, "copy", story(1), published_at=T0 + timedelta(hours=2))
    assert late.kind is VerdictKind.UNIQUE
    assert len(dedup.index) <= 2
    inside = _check(dedup, "copy2", story(2), published_at=T0 + timedelta(hours=2, minutes=30))
    assert inside.duplicate_of == "filler"


def test_published_time_is_capped_by_now_and_naive_means_utc() -> None:
    dedup = Deduplicator(DedupSettings())
    article = DedupInput("a", None, "text", None, datetime(2030, 1, 1))
    assert dedup.event_time(article, T0) == int(T0.timestamp())
    assert dedup.event_time(article, None) == int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    assert dedup.event_time(DedupInput("b", None, "x"), None) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("shingle_size", 0),
        ("jaccard_threshold", 1.5),
        ("window_hours", 0),
        ("anchors_per_doc", 500),
        ("head_anchors", 9),
        ("sqlite_synchronous", "SOMETIMES"),
    ],
)
def test_bad_settings_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field.split("_", maxsplit=1)[0]):
        DedupSettings(**{field: value})


def test_verdict_round_trips_through_a_dict() -> None:
    dedup = Deduplicator(DedupSettings())
    _check(dedup, "a", story(1))
    verdict = _check(dedup, "b", wrap(story(1)))
    assert Decision.from_dict(verdict.to_dict()) == verdict
