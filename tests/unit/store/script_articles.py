"""News articles in Japanese, Chinese, Korean and Thai (``tests/data/search-scripts``), and the
words of their bodies a search must find them by (``expected.json``)."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from services.core.models import ProcessedArticle
from tests.unit.store.factory import make_article

SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "data" / "search-scripts"
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ScriptArticle:
    """One test article: its file, what it is, and the words it must be found by."""

    name: str
    language: str
    title: str
    words: tuple[str, ...]

    @property
    def path(self) -> Path:
        return SCRIPTS_DIR / self.name

    @property
    def content_type(self) -> str:
        return "text/html" if self.name.endswith(".html") else "text/plain"

    def paragraphs(self) -> list[str]:
        """The body paragraphs: after the title and dateline of a text file, a page's <p>s."""
        text = self.path.read_text(encoding="utf-8")
        if self.content_type == "text/html":
            found = [html.unescape(p).strip() for p in _PARAGRAPH.findall(text)]
            return [p for p in found if not p.startswith("©")]  # not the footer
        return [p.strip() for p in text.split("\n\n")[2:] if p.strip()]


def script_articles() -> list[ScriptArticle]:
    expected = json.loads((SCRIPTS_DIR / "expected.json").read_text(encoding="utf-8"))
    return [
        ScriptArticle(name, item["language"], item["title"], tuple(item["words"]))
        for name, item in expected.items()
    ]


def processed(n: int, script: ScriptArticle) -> ProcessedArticle:
    """A stored-article value of ``script`` (article number ``n``, id ``script-<name>``)."""
    return make_article(
        n,
        article_id=f"script-{script.name}",
        source=f"{script.language}.example",
        title=script.title,
        paragraphs=script.paragraphs(),
        language=script.language,
    )
