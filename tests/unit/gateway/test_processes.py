"""The processes of /v1/status: rows from the announcements (down once silent, forgotten later),
the roster taking announcements and goodbyes, the probe following the active process, and the
terminal's table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.console import Console

from services.core.models import ProcessAnnounced, ProcessRole
from services.core.records import ConsumedRecord
from services.core.settings import ServiceName, Settings
from services.gateway.console import render
from services.gateway.models import Dependency, DlqStatus, StatusSnapshot, Totals
from services.gateway.roster import ProcessRoster
from services.gateway.status import health_urls, process_rows

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
NOW = T0.timestamp()
FORGET_S = 600.0


def announced(
    service: str = "dedup",
    pid: int = 1,
    role: ProcessRole = "active",
    *,
    ago_s: float = 0.0,
    host: str = "host-a",
    url: str | None = None,
    partitions: tuple[int, ...] = (),
) -> ProcessAnnounced:
    return ProcessAnnounced(
        instance=f"{service}-{host}-{pid}",
        service=service,
        host=host,
        pid=pid,
        role=role,
        status="ok",
        detail="consuming" if role == "active" else "standby: waiting for the lease",
        partitions=list(partitions),
        health_url=url,
        lease=None if service == "parser" else f"data/{service}.db.lock",
        started_at=T0 - timedelta(hours=1),
        announced_at=T0 - timedelta(seconds=ago_s),
        interval_s=2.0,
    )


def test_a_row_says_role_partitions_and_state() -> None:
    rows = process_rows([announced(partitions=(0, 1, 2))], NOW, FORGET_S)
    assert len(rows) == 1
    row = rows[0]
    assert (row.service, row.host, row.pid, row.role) == ("dedup", "host-a", 1, "active")
    assert row.status == "up" and row.partitions == [0, 1, 2]
    assert row.last_seen == T0 and row.lease == "data/dedup.db.lock"


def test_a_process_silent_for_three_intervals_is_down_then_forgotten() -> None:
    assert process_rows([announced(ago_s=5.9)], NOW, FORGET_S)[0].status == "up"
    silent = process_rows([announced(ago_s=6.1)], NOW, FORGET_S)[0]
    assert silent.status == "down" and silent.detail.startswith("silent for 6s")
    assert process_rows([announced(ago_s=FORGET_S + 1)], NOW, FORGET_S) == []


def test_an_unready_or_failing_process_says_so() -> None:
    unready = announced().model_copy(update={"status": "unavailable"})
    failing = announced(pid=2).model_copy(update={"status": "failing"})
    rows = process_rows([unready, failing], NOW, FORGET_S)
    assert [row.status for row in rows] == ["unready", "failing"]


def test_rows_go_by_flow_order_live_before_silent_active_before_standby() -> None:
    rows = process_rows(
        [
            announced("store", 9, "standby"),
            announced("dedup", 5, "standby"),
            announced("dedup", 4, "active", ago_s=60),  # killed: its standby took over
            announced("store", 8, "active"),
            announced("parser", 2, "active", host="host-b"),
            announced("parser", 3, "active", host="host-a"),
        ],
        NOW,
        FORGET_S,
    )
    assert [(r.service, r.pid, r.status) for r in rows] == [
        ("parser", 3, "up"),
        ("parser", 2, "up"),
        ("dedup", 5, "up"),
        ("dedup", 4, "down"),
        ("store", 8, "up"),
        ("store", 9, "up"),
    ]


def test_the_probe_follows_the_live_active_process() -> None:
    configured: dict[ServiceName, str | None] = {
        "ingest": "http://127.0.0.1:8000",
        "dedup": "http://127.0.0.1:9102",
        "store": "http://127.0.0.1:9103",
    }
    rows = process_rows(
        [
            announced("dedup", 1, "active", ago_s=60, url="http://127.0.0.1:9102"),  # killed
            announced("dedup", 2, "active", url="http://127.0.0.1:40123"),  # took over
            announced("dedup", 3, "standby", url="http://127.0.0.1:40999"),
            announced("store", 4, "active", url="http://127.0.0.1:9103"),
            announced("store", 5, "standby", url="http://127.0.0.1:40200"),
        ],
        NOW,
        FORGET_S,
    )
    urls = health_urls(rows, configured)
    assert urls == {
        "ingest": "http://127.0.0.1:8000",
        "dedup": "http://127.0.0.1:40123",
        "store": "http://127.0.0.1:9103",  # the configured one is the active one
    }
    assert health_urls([], configured) == configured


def record(key: str | None, value: bytes | None, offset: int = 0) -> ConsumedRecord:
    return ConsumedRecord(
        "newsflow.processes.v1", 0, offset, None if key is None else key.encode(), value
    )


def test_the_roster_keeps_the_latest_of_each_process_and_drops_it_at_its_goodbye() -> None:
    roster = ProcessRoster(Settings())
    first, second = announced("dedup", 1), announced("dedup", 2, "standby")
    roster.record(record(first.instance, first.to_bytes()))
    roster.record(record(second.instance, second.to_bytes()))
    newer = first.model_copy(update={"partitions": [0, 1, 2]})
    roster.record(record(first.instance, newer.to_bytes()))
    assert sorted(roster.announced(), key=lambda a: a.pid) == [newer, second]
    roster.record(record(second.instance, None))  # a tombstone: it stopped cleanly
    roster.record(record(None, b"{}"))  # no key: not an announcement
    roster.record(record("garbage", b"not json"))  # unreadable: ignored
    assert roster.announced() == [newer]


def test_the_terminal_lists_the_processes() -> None:
    rows = process_rows(
        [announced("dedup", 41, partitions=(0, 2)), announced("dedup", 42, "standby")],
        NOW,
        FORGET_S,
    )
    status = StatusSnapshot(
        generated_at=T0,
        broker=Dependency(ok=True, detail="127.0.0.1:9092"),
        database=Dependency(ok=True, detail="ok"),
        services=[],
        stages=[],
        dlq=DlqStatus(topic="articles.dlq.v1", depth=0),
        totals=Totals(),
        freshness=[],
        throughput=[],
        processes=rows,
    )
    console = Console(record=True, width=140)
    console.print(render(status))
    text = console.export_text()
    assert "processes" in text and "standby" in text and "41" in text and "0, 2" in text
