"""Settings of every service, read from the environment (prefix ``NEWSFLOW_``) and ``.env``.

This is the only module that reads the environment. Each field is documented in README.md.
"""

from __future__ import annotations

import json
import zoneinfo
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.core.topology import CONSUMER_SERVICES, SERVICES, ServiceName, stage

__all__ = ["CONSUMER_SERVICES", "SERVICES", "DedupSettings", "ServiceName", "Settings"]

SqliteSynchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]
POSTGRESQL_SCHEMES = frozenset({"postgresql", "postgres"})


class DedupSettings(BaseModel):
    """The dedup engine's thresholds, window and fingerprint sizes (``NEWSFLOW_DEDUP_<FIELD>``).

    A candidate is the same story when the estimated Jaccard is ``>= jaccard_threshold`` or the
    larger containment is ``>= containment_threshold``, and the two openings agree: at least
    ``lede_threshold`` of the candidate's lede (first content shingles) is found in the first
    ``lede_max_position`` of the new article, or of the new article's lede in the candidate's
    (waived from ``lede_exempt_jaccard`` up). Different stories sharing a long footer, or a story
    quoted at the end of another, share content but not their openings.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    shingle_size: int = Field(default=5, ge=1, description="Tokens per shingle.")
    window_hours: int = Field(
        default=7 * 24,
        ge=1,
        description="How far back (by publication time) near duplicates are looked for.",
    )
    anchors_per_doc: int = Field(default=6, ge=1, description="Index keys kept per article.")
    head_anchors: int = Field(
        default=3, ge=0, description="Of the anchors, those taken from the article's opening."
    )
    head_size: int = Field(
        default=64, ge=1, description="Shingles of the opening the head anchors come from."
    )
    sample_size: int = Field(
        default=128, ge=1, description="Bottom-k shingle sample kept per article to verify."
    )
    lede_size: int = Field(default=24, ge=1, description="Content shingles making up the lede.")
    probe_limit: int = Field(
        default=256, ge=1, description="Shingles of a new article looked up in the index."
    )
    max_candidates: int = Field(default=8, ge=1, description="Candidates verified per article.")
    min_shingles: int = Field(
        default=3, ge=1, description="Content shingles an article needs for near matching."
    )
    jaccard_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Estimated Jaccard of the same story."
    )
    containment_threshold: float = Field(
        default=0.65, ge=0.0, le=1.0, description="Or larger containment of the same story."
    )
    lede_threshold: float = Field(
        default=0.2, ge=0.0, le=1.0, description="Share of a lede found in the other's opening."
    )
    lede_max_position: float = Field(
        default=0.5, ge=0.0, le=1.0, description="How far into the article its opening reaches."
    )
    lede_exempt_jaccard: float = Field(
        default=0.8, ge=0.0, le=1.0, description="Jaccard from which openings need not agree."
    )
    update_containment: float = Field(
        default=0.85, ge=0.0, le=1.0, description="Containment from which a match may be an update."
    )
    update_novelty: float = Field(
        default=0.15, ge=0.0, le=1.0, description="New content share that makes it an update."
    )
    boilerplate_min_stories: int = Field(
        default=4, ge=1, description="Stories a block must appear in to be learned as boilerplate."
    )
    boilerplate_max_blocks: int = Field(
        default=200_000, ge=1, description="Blocks tracked at most (the least seen are pruned)."
    )
    boilerplate_max_shingles: int = Field(
        default=200_000, ge=1, description="Boilerplate shingles learned at most."
    )
    sweep_every: int = Field(
        default=1024, ge=1, description="Articles between sweeps of records out of the window."
    )
    sqlite_synchronous: SqliteSynchronous = Field(
        default="FULL", description="SQLite's synchronous mode for the dedup state file."
    )
    recent_records: int = Field(
        default=8192,
        ge=1,
        description="Stored records of recent candidates kept in memory (least recently used "
        "go first); the others are read from the state file.",
    )

    @model_validator(mode="after")
    def _anchors_fit(self) -> DedupSettings:
        if self.anchors_per_doc > self.sample_size:
            raise ValueError("anchors_per_doc must not exceed sample_size")
        if self.head_anchors > self.anchors_per_doc:
            raise ValueError("head_anchors must be within [0, anchors_per_doc]")
        return self

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    @property
    def window_seconds(self) -> int:
        return self.window_hours * 3600


class Settings(BaseSettings):
    """Everything a newsflow process can be told from outside."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSFLOW_",
        env_file=".env",
        extra="ignore",
        frozen=True,
        populate_by_name=True,
        env_nested_delimiter="_",  # NEWSFLOW_DEDUP_SHINGLE_SIZE is dedup.shingle_size
        env_nested_max_split=1,
        hide_input_in_errors=True,  # a refused URL or key may hold a password: never echo it
    )

    # Kafka
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "NEWSFLOW_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
        description="An existing cluster to use; when unset, the local broker is used.",
    )
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_heap: str = "512m"
    kafka_jvm_options: str = Field(
        default="",
        description="More JVM options for the local broker, after newsflow's own (the later "
        "of two settings of one option wins); split as a shell would.",
    )
    kafka_version: str = "4.1.1"
    kafka_start_timeout_s: float = 90.0
    topic_prefix: str = ""
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication_factor: int = Field(default=1, ge=1)
    raw_retention_ms: int = 7 * 24 * 3600 * 1000
    dlq_retention_ms: int = 30 * 24 * 3600 * 1000

    # Consumer stages
    consumer_batch_size: int = Field(default=2000, ge=1)
    transaction_max_bytes: int = Field(default=4 * 1024 * 1024, ge=1)
    consumer_fetch_timeout_ms: int = Field(default=200, ge=1)
    consumer_fetch_min_bytes: int = Field(
        default=64 * 1024,
        ge=1,
        description="Input bytes a stage's fetch waits for at the broker (up to the max wait).",
    )
    consumer_fetch_max_wait_ms: int = Field(
        default=60,
        ge=0,
        le=10_000,
        description="How long the broker holds a stage's fetch for its minimum bytes.",
    )
    priority_step: int = Field(
        default=3,
        ge=0,
        le=9,
        description="Nice levels between a consumer stage and the one after it (0: equal).",
    )
    errors_tolerance: Literal["none", "all"] = Field(
        default="none",
        description="What a stage does with a record its code keeps failing on (not a fault "
        "of the record): none stops that partition and reports failing; all dead-letters it.",
    )
    errors_retry_limit: int = Field(
        default=3,
        ge=0,
        le=1000,
        description="Retries, with backoff, of a record the code fails on before the policy.",
    )
    retry_backoff_initial_s: float = Field(default=0.2, gt=0)
    retry_backoff_max_s: float = Field(default=10.0, gt=0)
    session_timeout_ms: int = Field(default=10_000, ge=1000)
    kafka_producer_batch_bytes: int = Field(
        default=1_048_576,
        ge=16_384,
        le=33_554_432,
        description="Largest batch a producer builds per partition (aiokafka's own 16 KiB holds "
        "only a few articles).",
    )
    kafka_admin_timeout_s: float = Field(
        default=10.0, gt=0, description="How long an admin request (topic creation) may take."
    )
    stage_producer_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="How long a stage's transactional producer waits for the broker to answer "
        "a request (a send, a transaction step).",
    )
    stage_stall_limit_s: float = Field(
        default=60.0,
        gt=0,
        description="A stage is not live (its /livez fails) once its consumer loop has not "
        "polled for this long.",
    )
    stage_rewind_wait_s: float = Field(
        default=10.0,
        gt=0,
        description="How long a stage waits for the broker to say a partition's committed "
        "offset when it rewinds to it.",
    )
    stage_producer_stop_wait_s: float = Field(
        default=5.0,
        gt=0,
        description="How long a stage waits for a transactional producer it gives up on to stop.",
    )
    lease_poll_s: float = Field(
        default=0.5,
        gt=0,
        description="How often a standby store or dedup process tries for the lease, and how "
        "often the holder checks that it still holds it.",
    )
    lease_check_timeout_s: float = Field(
        default=3.0,
        gt=0,
        description="How long the holder of a lease on a database server (dedup on PostgreSQL) "
        "waits for the server to confirm it still holds it before it counts the lease as lost "
        "and stops (a network split is noticed this soon).",
    )
    process_heartbeat_s: float = Field(
        default=2.0,
        gt=0,
        description="How often each consumer-stage process announces itself (role, partitions, "
        "health URL) on the processes topic.",
    )
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    source_zones: dict[str, str] = Field(
        default_factory=dict,
        description="The parser's time zone per source (an article's `source` to an IANA zone "
        'name, JSON: {"lemonde.fr": "Europe/Paris"}), for dates written without one.',
    )
    parser_malloc_arenas: int = Field(
        default=2,
        ge=0,
        description="glibc heaps (arenas) the parser's worker threads share at most; 0 leaves "
        "glibc's own limit (8 per core), each thread then holding the high water of its own.",
    )
    parser_trim_after_batch: bool = Field(
        default=True,
        description="Whether the parser gives its heaps' free pages back to the system after "
        "each batch (malloc_trim).",
    )
    dedup: DedupSettings = Field(default_factory=DedupSettings)

    # The database: SQLite files under data_dir, or a PostgreSQL server
    database_url: str | None = Field(
        default=None,
        repr=False,
        description="The PostgreSQL server the store, the gateway and dedup share "
        "(postgresql://user:password@host:port/database); unset: SQLite files under data_dir.",
    )
    database_read_url: str | None = Field(
        default=None,
        repr=False,
        description="A read replica of that server the gateway's queries go to (unset: "
        "database_url).",
    )
    postgres_port: int = Field(
        default=5433,
        ge=1,
        le=65535,
        description="Port (loopback) of the local PostgreSQL server `newsflow postgres` runs.",
    )
    postgres_start_timeout_s: float = Field(
        default=60.0, gt=0, description="How long to wait for that server to come up."
    )

    # The store's database
    store_busy_timeout_ms: int = Field(
        default=5_000,
        ge=0,
        description="How long a connection to the store's database waits for a lock held by "
        "another before it fails.",
    )
    store_cache_kib: int = Field(
        default=64 * 1024,
        ge=0,
        description="SQLite page cache per connection to the store's database, in KiB.",
    )
    store_mmap_bytes: int = Field(
        default=256 * 1024 * 1024,
        ge=0,
        description="Bytes of the store's database a connection reads through a memory map "
        "(0: none).",
    )

    # Paths and ports
    data_dir: Path = Path("data")
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "newsflow")
    host: str = "127.0.0.1"
    ingest_port: int = 8000
    gateway_port: int = 8080
    gateway_status_max_age_s: float = Field(
        default=30.0,
        gt=0,
        description="The gateway is unready while the status it serves is older than this.",
    )
    gateway_poll_interval_s: float = Field(
        default=2.0, gt=0, description="How often the gateway polls every service and Kafka."
    )
    gateway_kafka_budget_s: float = Field(
        default=5.0,
        gt=0,
        description="How long one poll may spend measuring the topics and consumer lag.",
    )
    gateway_probe_timeout_s: float = Field(
        default=1.5, gt=0, description="How long the gateway waits for a service's /readyz."
    )
    gateway_ingest_url: str | None = Field(
        default=None,
        description="Where the gateway polls ingest's /readyz and /metrics, when ingest runs "
        "elsewhere (on Kubernetes, its Service: http://ingest:8000); unset: ingest_port on "
        "this host.",
    )
    gateway_index_capacity: int = Field(
        default=200_000,
        ge=1,
        description="Article ids the gateway holds at most for /v1/articles/{id}/status (a "
        "bound on memory: the window below decides which ids are held).",
    )
    gateway_index_backlog: int = Field(
        default=20_000,
        ge=0,
        description="The window of /v1/articles/{id}/status for articles not stored: the last "
        "offsets of each partition of the flow's topics (read back at start, so every gateway "
        "replica knows the same ids).",
    )
    gateway_process_forget_s: float = Field(
        default=600.0,
        gt=0,
        description="How long /v1/status keeps listing, as down, a process that stopped "
        "announcing itself without saying goodbye (killed, or its host lost).",
    )
    health_port_base: int = 9101
    gateway_stream_poll_s: float = Field(
        default=0.5,
        gt=0,
        description="How often a live stream (/v1/stream) looks for newly stored articles "
        "while it is idle.",
    )
    gateway_stream_heartbeat_s: float = Field(
        default=15.0,
        gt=0,
        description="Quiet time after which a live stream sends a keep-alive comment.",
    )
    gateway_sse_retry_ms: int = Field(
        default=2000,
        ge=0,
        description="How long a live stream tells its client to wait before reconnecting.",
    )

    # Ingest
    ingest_api_keys: str = Field(default="", repr=False, description="Comma-separated API keys.")
    push_api_key: str = Field(
        default="",
        repr=False,
        description="The key `newsflow push` sends (default: the first of ingest_api_keys).",
    )
    ingest_max_article_bytes: int = 5 * 1024 * 1024
    ingest_max_batch_bytes: int = 32 * 1024 * 1024
    ingest_max_batch_items: int = 1000
    ingest_send_timeout_s: float = 10.0
    ingest_max_in_flight: int = 20_000
    ingest_drain_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    ingest_drain_timeout_s: float = Field(default=10.0, ge=0)
    ingest_ready_check_s: float = Field(
        default=2.0,
        gt=0,
        description="How often ingest checks that the broker answers (and how long it waits "
        "for the answer); ingest is unready while it does not.",
    )
    ingest_reset_after_failures: int = Field(
        default=3,
        ge=1,
        description="Failed publishes in a row after which ingest replaces its producer (once "
        "the broker answers again).",
    )
    ingest_mmap_threshold_bytes: int = Field(
        default=128 * 1024,
        ge=0,
        le=32 * 1024 * 1024,
        description="Blocks from this size up are mapped and given back to the system when "
        "freed (a fixed glibc threshold); 0 leaves glibc's own, which grows.",
    )

    # Launcher (newsflow run)
    launcher_stop_grace_s: float = Field(
        default=20.0,
        gt=0,
        description="How long `newsflow run` waits for a service to exit on SIGTERM before "
        "SIGKILL.",
    )
    launcher_ready_wait_s: float = Field(
        default=90.0,
        gt=0,
        description="How long `newsflow run --push` waits for ingest to be ready before giving "
        "up the push.",
    )

    # Logging
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"

    def to_env(self) -> dict[str, str]:
        """These settings as the ``NEWSFLOW_…`` variables a child process reads back into equal
        settings (the dedup settings as ``NEWSFLOW_DEDUP_<FIELD>``); unset fields are left out."""
        prefix = self.model_config.get("env_prefix", "")
        return _variables(self, prefix) | _variables(self.dedup, f"{prefix}DEDUP_")

    @field_validator("source_zones")
    @classmethod
    def _zones_exist(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(zone for zone in set(value.values()) if not _is_iana_zone(zone))
        if unknown:
            raise ValueError(
                f"source_zones: not IANA time zone names: {', '.join(unknown)} "
                '(expected names such as "Europe/Paris", "America/Sao_Paulo")'
            )
        return value

    @field_validator("database_url", "database_read_url")
    @classmethod
    def _postgresql_url(cls, value: str | None) -> str | None:
        if not value:  # an empty variable is an unset one
            return None
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 (a port that is not a number raises here)
        except ValueError as error:
            raise ValueError(f"not a URL ({error}): {_redacted(value)}") from error
        if parts.scheme not in POSTGRESQL_SCHEMES:
            raise ValueError(
                f"expected a postgresql:// (or postgres://) URL, or nothing for SQLite under "
                f"NEWSFLOW_DATA_DIR; got {_redacted(value)}"
            )
        return value

    @property
    def bootstrap_servers(self) -> str:
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    @property
    def uses_external_kafka(self) -> bool:
        return self.kafka_bootstrap_servers is not None

    @cached_property
    def api_keys(self) -> frozenset[str]:
        return frozenset(self._listed_keys)

    @property
    def push_key(self) -> str | None:
        """The key ``newsflow push`` and the launcher's seed push send: ``push_api_key``, else
        the first of ``ingest_api_keys``, else none."""
        return self.push_api_key or next(iter(self._listed_keys), None)

    @property
    def _listed_keys(self) -> list[str]:
        return [k.strip() for k in self.ingest_api_keys.split(",") if k.strip()]

    def health_port(self, service: ServiceName) -> int:
        """Each consumer service's health/metrics port: its offset in the topology above
        ``health_port_base`` (a base of 0 means any free port)."""
        offset = stage(service).health_port_offset
        if offset is None:
            raise ValueError(f"{service} serves health on its own HTTP port")
        return 0 if self.health_port_base == 0 else self.health_port_base + offset

    @property
    def ingest_url(self) -> str:
        return f"http://{self._local(self.host)}:{self.ingest_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://{self._local(self.host)}:{self.gateway_port}"

    @staticmethod
    def _local(host: str) -> str:
        return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host

    @property
    def database_path(self) -> Path:
        return self.data_dir / "newsflow.db"

    @property
    def dedup_state_path(self) -> Path:
        return self.data_dir / "dedup.db"


def _variables(model: BaseModel, prefix: str) -> dict[str, str]:
    """``prefix + FIELD`` for each set field of ``model`` that is not itself a model."""
    variables: dict[str, str] = {}
    for name in type(model).model_fields:
        value: Any = getattr(model, name)
        if value is None or isinstance(value, BaseModel):
            continue
        text = json.dumps(value) if isinstance(value, dict | list) else str(value)
        variables[f"{prefix}{name.upper()}"] = text
    return variables


def _redacted(url: str) -> str:
    """``url`` with the password of its user part (if any) replaced by ``***``: safe to show."""
    head, at, host = url.rpartition("@")
    scheme, separator, credentials = head.partition("://")
    if not at or not separator or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def _is_iana_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
