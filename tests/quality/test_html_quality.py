"""Quality gate: HTML body extraction on the 60-page extraction dev set (shingle F1)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from services.parser.errors import EmptyArticleError
from services.parser.html import extract_html
from tests.quality.floors import HTML_BODY_F1
from tests.quality.shingle_f1 import score

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction-dev"


def _body(html: str, url: str) -> str:
    try:
        return "\n\n".join(extract_html(html, url).paragraphs)
    except EmptyArticleError:
        return ""


def test_html_body_f1() -> None:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pairs = []
    for key, page in truth.items():
        raw = gzip.decompress((DATA / "html" / f"{key}.html.gz").read_bytes())
        pairs.append((page["articleBody"], _body(raw.decode("utf-8", "replace"), page["url"])))
    result = score(pairs)
    assert len(pairs) == 60
    assert result.f1 >= HTML_BODY_F1, (
        f"HTML body F1 {result.f1:.4f} (P {result.precision:.4f}, R {result.recall:.4f})"
        f" is below the floor {HTML_BODY_F1}"
    )
