"""News written for the encoding tests (``tests/data/encodings/news.json``), as plain text and
as HTML pages in each legacy encoding a news site may still serve."""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.conftest import DATA


@dataclass(frozen=True)
class News:
    language: str
    charset: str
    title: str
    text: str

    @property
    def plain(self) -> str:
        return f"{self.title}\n\n{self.text}"

    def html(self, meta: str = "charset") -> str:
        """A page whose ``<meta>`` names its charset as ``<meta charset>`` ("charset"),
        ``<meta http-equiv=Content-Type>`` ("http-equiv"), or not at all ("none")."""
        head = {
            "charset": f'<meta charset="{self.charset}">',
            "http-equiv": '<meta http-equiv="Content-Type" '
            f'content="text/html; charset={self.charset.upper()}">',
            "none": "",
        }[meta]
        paragraphs = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        return (
            f'<!DOCTYPE html>\n<html lang="{self.language}"><head>{head}'
            f"<title>{self.title}</title></head>\n<body><article><h1>{self.title}</h1>"
            f"{paragraphs}</article></body></html>\n"
        )

    @property
    def paragraphs(self) -> list[str]:
        """The text in two paragraphs, cut after the sentence nearest its middle."""
        ends = [i + 1 for i, c in enumerate(self.text) if c in ".。" and i + 1 < len(self.text)]
        cut = min(ends, key=lambda i: abs(i - len(self.text) // 2))
        return [self.text[:cut].strip(), self.text[cut:].strip()]

    def encoded(self, text: str) -> bytes:
        return text.encode(self.charset)


def load() -> list[News]:
    entries = json.loads((DATA / "encodings" / "news.json").read_text("utf-8"))
    return [
        News(entry["language"], charset, entry["title"], entry["text"])
        for entry in entries
        for charset in entry["charsets"]
    ]


NEWS = load()
# Detection cannot tell ISO-8859-2 from windows-1250 and kin on a few sentences: a Czech or
# Polish page needs its <meta> (or a declared charset).
DETECTABLE = [news for news in NEWS if news.charset != "iso-8859-2"]
