"""The compiled parser modules: used only when their build matches the sources, and giving
exactly what the pure-Python modules give."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from services.core import ndjson
from services.core.models import RawArticle
from services.parser import native, quotes
from services.parser.errors import EmptyArticleError
from services.parser.parse import parse_article
from tests.unit.parser.articles import NOW

DATA = Path(__file__).resolve().parents[2] / "data"

SOURCE_DIR = Path(native.__file__).parent
# the switch as the process started (the fixture below unsets it for each test)
_STARTED_OFF = os.environ.get(native.SWITCH, "1").strip().lower() in native.OFF

# The parse of each document of the test data, as JSON: run in this process (compiled modules)
# and in a child with the switch off (pure Python). A document is [content, content type].
_DUMP = """
import json, sys
from services.parser import quotes
from tests.unit.parser.test_native import parses
documents = json.load(sys.stdin)
print(json.dumps({"file": quotes.__file__, "parses": parses(documents)}, ensure_ascii=False))
"""


def parses(documents: list[list[str]]) -> list[object]:
    """Each document's parse as JSON data, or its error's message."""
    found: list[object] = []
    for index, (content, kind) in enumerate(documents):
        raw = RawArticle.model_validate(
            {
                "id": f"doc-{index}",
                "id_source": "client",
                "content": content,
                "content_type": kind,
                "received_at": NOW,
            }
        )
        try:
            found.append(parse_article(raw).model_dump(mode="json"))
        except EmptyArticleError as error:
            found.append(str(error))
    return found


def _documents() -> list[list[str]]:
    """Every plain text of the test data (the dev sets, the article bodies, the other scripts'
    texts, the seed) and its HTML pages: the extraction pages, the other scripts' pages and
    every fourth metadata page (all of them would take half a minute a side)."""
    texts: list[str] = []
    for name in ("plaintext-dev.jsonl", "plaintext-intl-dev.jsonl"):
        lines = ndjson.records((DATA / "plaintext" / name).read_text("utf-8"))
        texts += [json.loads(line.text)["text"] for line in lines]
    bodies = json.loads((DATA / "extraction-dev" / "ground-truth.json").read_text("utf-8"))
    texts += [body["articleBody"] for body in bodies.values() if body.get("articleBody")]
    texts += [path.read_text("utf-8") for path in sorted((DATA / "scripts").glob("*.txt"))]
    texts.append((DATA / "seed-article.txt").read_text("utf-8"))
    pages = sorted((DATA / "extraction-dev" / "html").glob("*.html.gz"))
    pages += sorted((DATA / "html-metadata-dev" / "pages").glob("*.html.gz"))[::4]
    html = [gzip.decompress(path.read_bytes()).decode("utf-8", "replace") for path in pages]
    html += [path.read_text("utf-8") for path in sorted((DATA / "scripts").glob("*.html"))]
    return [[text, "text/plain"] for text in texts] + [[page, "text/html"] for page in html]


@pytest.fixture(autouse=True)
def _switch_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules below are the default's (a run with the switch off tests the sources)."""
    monkeypatch.delenv(native.SWITCH, raising=False)


def _build(
    target: Path, source_dir: Path = SOURCE_DIR, changes: dict[str, str] | None = None
) -> None:
    """A stand-in build directory: the package folder and a stamp (no compiled files)."""
    (target / "services" / "parser").mkdir(parents=True)
    stamp = {"sources": native._digest(source_dir), "python": sys.version, **(changes or {})}
    (target / "stamp.json").write_text(json.dumps(stamp), "utf-8")


def test_a_matching_build_goes_first_on_the_package_path(tmp_path: Path) -> None:
    _build(tmp_path)
    path = ["/src/services/parser"]
    assert native.activate(path, tmp_path)
    assert path == [str(tmp_path / "services" / "parser"), "/src/services/parser"]


def test_a_build_of_other_sources_is_not_used(tmp_path: Path) -> None:
    edited = tmp_path / "src"
    shutil.copytree(SOURCE_DIR, edited, ignore=shutil.ignore_patterns("__pycache__"))
    build = tmp_path / "build"
    _build(build, edited)
    assert native.matches(build, edited)
    speakers = edited / "speakers.py"
    speakers.write_text(speakers.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert not native.matches(build, edited)


@pytest.mark.parametrize(
    "stamp",
    [
        {"python": "3.11.0 (another build)"},
        {"sources": "0" * 64},
    ],
)
def test_a_stamp_that_does_not_match_keeps_the_sources(
    tmp_path: Path, stamp: dict[str, str]
) -> None:
    _build(tmp_path, changes=stamp)
    path: list[str] = []
    assert not native.activate(path, tmp_path)
    assert path == []


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]"])
def test_a_missing_or_damaged_stamp_keeps_the_sources(tmp_path: Path, content: str) -> None:
    _build(tmp_path)
    (tmp_path / "stamp.json").write_text(content, "utf-8")
    assert not native.activate([], tmp_path)
    (tmp_path / "stamp.json").unlink()
    assert not native.activate([], tmp_path)


def test_no_build_keeps_the_sources(tmp_path: Path) -> None:
    assert not native.activate([], tmp_path / "absent")


@pytest.mark.parametrize("value", ["0", "off", "false", "no", " OFF "])
def test_the_switch_keeps_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    _build(tmp_path)
    monkeypatch.setenv(native.SWITCH, value)
    assert not native.activate([], tmp_path)


def test_make_install_built_the_modules_in_use() -> None:
    """``make install`` (which ``make test`` runs first) builds them: a missing or stale build
    here means that step did not run or failed, and the parser would run slower than measured.
    (Under ``NEWSFLOW_PARSER_NATIVE=0``, as this process was started, the sources run.)"""
    assert native.matches(native.build_dir()), "no matching build: run `make install`"
    assert Path(quotes.__file__).suffix == (".py" if _STARTED_OFF else ".so"), quotes.__file__


def test_compiled_and_pure_python_parses_are_identical() -> None:
    """The whole parse, not the quotations alone: the plain-text path (header, bylines,
    datelines, boilerplate, wire copy, cited outlets) is compiled too, and the HTML path calls
    several of its modules."""
    documents = _documents()
    compiled = parses(documents)
    child = subprocess.run(
        [sys.executable, "-c", _DUMP],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, native.SWITCH: "0"},
        cwd=Path(__file__).resolve().parents[3],
    )
    pure = json.loads(child.stdout)
    assert pure["file"].endswith(".py")
    # the comparison covers many documents, quotations, authors and dates
    assert len(documents) > 300
    assert sum(len(p["quotes"]) for p in compiled if isinstance(p, dict)) > 300
    assert sum(bool(p["authors"]) for p in compiled if isinstance(p, dict)) > 150
    assert sum(bool(p["published_at"]) for p in compiled if isinstance(p, dict)) > 150
    assert json.loads(json.dumps(compiled, ensure_ascii=False)) == pure["parses"]
