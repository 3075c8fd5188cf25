"""A stream of dedup inputs for the engine and state store tests: twelve hours of stories with
wrapped, edited, updated and boilerplate copies, and a clock a day after them."""

from datetime import UTC, datetime, timedelta

from services.core.settings import DedupSettings
from services.dedup.decision import DedupInput
from tests.unit.dedup.texts import FOOTER, edit, story, truncate, wrap

T0 = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)


SETTINGS = DedupSettings(window_hours=6, sweep_every=3, boilerplate_min_stories=3)


def stream_articles() -> list[DedupInput]:
    out: list[DedupInput] = []
    for n in range(12):
        when = T0 + timedelta(hours=n)
        base = story(n, paragraphs=3)
        out += [
            DedupInput(f"{n}-a", f"https://a.example/{n}", base, "t", when),
            DedupInput(f"{n}-b", f"https://b.example/{n}", wrap(base), None, when),
            DedupInput(f"{n}-c", None, truncate(edit(base, seed=n)), None, when),
            DedupInput(f"{n}-d", f"https://a.example/{n}", base + "\n\nUPDATE: more.", None, when),
            DedupInput(f"{n}-e", None, story(500 + n, 1, 20) + "\n\n" + FOOTER, None, when),
        ]
    out.append(DedupInput("0-late", None, story(0, paragraphs=3), None, T0))
    return out


class Clock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(days=1)

    def __call__(self) -> datetime:
        return self.now
