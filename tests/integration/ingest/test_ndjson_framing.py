"""NDJSON framing through the real HTTP API and ``newsflow push``: one result per non-blank
line, in input order, whatever Unicode the strings carry."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from services.core.models import RawArticle
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.app import create_app
from tests.integration.flow import create_topics, read_committed
from tests.integration.servers import serving
from tests.ndjson_cases import Case, cases

EXAMPLES = 25


def generated(ids: str | None = None) -> list[Case]:
    """``EXAMPLES`` cases as hypothesis draws them (the unit tests shrink a failure; here each
    failing body is printed whole)."""
    drawn: list[Case] = []

    @given(cases(ids=ids))
    @hypothesis_settings(
        max_examples=EXAMPLES, database=None, suppress_health_check=list(HealthCheck)
    )
    def collect(case: Case) -> None:
        drawn.append(case)

    collect()
    return drawn


@pytest.fixture
async def ingest(settings: Settings) -> AsyncIterator[str]:
    await create_topics(settings)
    async with serving(create_app(settings)) as base:
        yield base


async def contents_at(settings: Settings, expected: int) -> dict[tuple[int, int], str]:
    """The raw topic's content at each (partition, offset)."""
    records = await read_committed(settings, Topics(settings.topic_prefix).raw, expected)
    return {(r.partition, r.offset): RawArticle.from_bytes(r.value or b"").content for r in records}


async def test_batch_results_line_up_with_the_input_lines(ingest: str, settings: Settings) -> None:
    sent: dict[tuple[int, int], str] = {}
    async with httpx.AsyncClient(base_url=ingest) as client:
        for case in generated(ids="line-"):
            response = await client.post(
                "/v1/articles:batch",
                content=case.body.encode(),
                headers={"content-type": "application/x-ndjson"},
            )
            assert response.status_code == 207, (case.body, response.text)
            results = response.json()["results"]
            assert len(results) == len(case.records), case.body
            for index, (result, record) in enumerate(zip(results, case.records, strict=True)):
                assert result["index"] == index
                if record.article is None:
                    assert result["status"] == 400, (case.body, result)
                    assert result["error"].startswith(f"malformed_json: line {record.line}: ")
                    continue
                assert result["status"] == 202, (case.body, result)
                assert result["id"] == record.article["id"]
                sent[(result["partition"], result["offset"])] = record.article["content"]
    assert await contents_at(settings, len(sent)) == sent


async def push_cli(base: str, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.tools.cli",
        "push",
        "--url",
        base,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(stdin), 120)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_push_of_files_and_stdin_gives_one_item_per_line(
    ingest: str, settings: Settings, tmp_path: Path
) -> None:
    cases_drawn = generated()
    for number, case in enumerate(cases_drawn):
        (tmp_path / f"case{number:02}.ndjson").write_bytes(case.body.encode())
    # the same lines once more, on stdin, as one body (each case's last line ends it)
    stdin = "\n".join(case.body.rstrip("\r\n") for case in cases_drawn[:5]).encode()
    articles = [r for case in cases_drawn for r in case.records if r.article]
    bad = [
        f"case{number:02}.ndjson:{r.line}: not valid JSON"
        for number, case in enumerate(cases_drawn)
        for r in case.records
        if r.article is None
    ]
    code, out = await push_cli(ingest, str(tmp_path))
    assert f"accepted: {len(articles)}" in out.splitlines(), out
    assert f"rejected: {len(bad)}" in out.splitlines(), out
    for origin in bad[:20]:  # the summary shows the first 20 examples
        assert any(origin in line for line in out.splitlines()), (origin, out)
    assert code == (1 if bad else 0)
    on_stdin = [r for case in cases_drawn[:5] for r in case.records if r.article]
    code, out = await push_cli(ingest, "-", stdin=stdin)
    assert f"accepted: {len(on_stdin)}" in out.splitlines(), out
    published = await contents_at(settings, len(articles) + len(on_stdin))
    expected = sorted(r.article["content"] for r in [*articles, *on_stdin] if r.article)
    assert sorted(published.values()) == expected


async def test_push_reports_lines_of_invisible_characters(ingest: str, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(orjson.dumps({"content": "one\u2028two"}) + "\n\u2028\n \t\n".encode())
    code, out = await push_cli(ingest, str(path))
    assert code == 1
    assert "accepted: 1" in out.splitlines() and "rejected: 1" in out.splitlines()
    assert f"{path}:2: not valid JSON" in out
