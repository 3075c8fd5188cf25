"""Japanese, Chinese, Korean and Thai articles, plain text and HTML, through the whole pipeline
and the real broker: each is stored (none dead-lettered), counted, its language detected, and
the gateway's search finds it by a word of its body."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import httpx

from services.core.deadletters import NF_ERROR_CLASS, NF_ERROR_MESSAGE, NF_STAGE
from services.core.records import ConsumedRecord
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.app import create_app
from tests.integration.flow import create_topics, read_committed
from tests.integration.gateway.conftest import gateway
from tests.integration.pipeline import stages_running
from tests.integration.servers import serving
from tests.unit.store.script_articles import ScriptArticle, script_articles

SCRIPTS = script_articles()


def _id(script: ScriptArticle) -> str:
    return f"scripts-{script.name}"


def _stored(settings: Settings) -> dict[str, tuple[int, str | None]]:
    """``id: (word_count, language)`` of every stored article."""
    if not settings.database_path.exists():
        return {}
    with sqlite3.connect(settings.database_path) as db:
        rows = db.execute("SELECT id, word_count, language FROM articles").fetchall()
    return {str(row[0]): (int(row[1]), row[2]) for row in rows}


def _letter(record: ConsumedRecord) -> str:
    stage, error = record.header(NF_STAGE), record.header(NF_ERROR_CLASS)
    return f"{record.key_text}: {stage} {error}: {record.header(NF_ERROR_MESSAGE)}"


async def _outcomes(
    settings: Settings, dlq: str, pushed: int, timeout_s: float
) -> list[ConsumedRecord]:
    """Wait until every pushed article is stored or dead-lettered; returns the dead letters."""
    deadline = time.monotonic() + timeout_s
    while True:
        dead = await read_committed(settings, dlq, expected=0, timeout_s=2, settle_s=0.5)
        if len(_stored(settings)) + len(dead) >= pushed or time.monotonic() > deadline:
            return dead
        await asyncio.sleep(0.5)


async def test_cjk_and_thai_articles_are_stored_counted_and_found_by_a_word(
    settings: Settings,
) -> None:
    topics = await create_topics(settings)
    batch = [
        {
            "id": _id(script),
            "source": f"{script.language}.example",
            "content": script.path.read_text(encoding="utf-8"),
            "content_type": script.content_type,
        }
        for script in SCRIPTS
    ]
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        pushed = (await client.post("/v1/articles:batch", json=batch)).json()
    assert pushed["accepted"] == len(SCRIPTS), pushed

    async with stages_running(settings, "parser", "dedup", "store"):
        dead = await _outcomes(settings, topics.dlq, len(SCRIPTS), timeout_s=120)
    problems = [f"dead-lettered {_letter(record)}" for record in dead]
    stored = _stored(settings)
    for script in SCRIPTS:
        if _id(script) not in stored:
            problems.append(f"{script.name}: not stored")
            continue
        word_count, language = stored[_id(script)]
        if word_count <= 0:
            problems.append(f"{script.name}: word_count {word_count}")
        if language != script.language:
            problems.append(f"{script.name}: language {language!r}, not {script.language!r}")

    async with gateway(settings) as client:
        for script in SCRIPTS:
            for word in script.words:
                response = await client.get("/v1/articles", params={"q": word})
                assert response.status_code == 200, response.text
                found = [item["id"] for item in response.json()["items"]]
                if found != [_id(script)] and _id(script) in stored:
                    problems.append(f"{script.name}: q={word!r} found {found}")
    assert not problems, "\n".join(problems)


async def test_invisible_characters_and_decomposed_text_are_found_by_the_plain_spelling(
    settings: Settings,
) -> None:
    """Soft hyphens, zero-width spaces, word joiners and NFD text go through the pipeline and the
    stored article is found by the word as a reader types it."""
    await create_topics(settings)
    texts = {
        "shy": "Stadtgeschichte\n\nDie Burg stammt aus dem Mit\u00adtel\u00adal\u00adter und "
        "wurde am Dienstag nach langer Sanierung wieder für Besucher geöffnet.",
        "zwsp": "Wahl im Rathaus\n\nDer neue Bürger\u200bmeister der Stadt trat sein Amt am "
        "Montag an und versprach mehr Geld für Schu\u2060len und Straßen.",
        "nfd": "Re\u0301sultats\n\nLe second tour de l'e\u0301lection municipale a e\u0301te\u0301 "
        "remporte\u0301 dimanche par la liste sortante, selon la pre\u0301fecture.",
    }
    batch = [{"id": key, "source": "de.example", "content": text} for key, text in texts.items()]
    async with serving(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        assert (await client.post("/v1/articles:batch", json=batch)).json()["accepted"] == 3
    async with stages_running(settings, "parser", "dedup", "store"):
        await _outcomes(settings, Topics(settings.topic_prefix).dlq, len(texts), timeout_s=60)
    assert set(_stored(settings)) == set(texts)
    probes = {
        "Mittelalter": "shy",
        "Bürgermeister": "zwsp",
        "Schulen": "zwsp",
        "élection": "nfd",
        "préfecture": "nfd",
    }
    async with gateway(settings) as client:
        for word, key in probes.items():
            response = await client.get("/v1/articles", params={"q": word})
            assert [item["id"] for item in response.json()["items"]] == [key], word
        article = (await client.get("/v1/articles/nfd")).json()
    assert article["title"] == "Résultats"
    assert "élection" in article["paragraphs"][0]
