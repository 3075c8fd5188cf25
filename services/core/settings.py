"""Settings of every service, read from the environment (prefix ``NEWSFLOW_``) and ``.env``.

This is the only module that reads the environment. Each field is documented in README.md.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.core.topology import CONSUMER_SERVICES, SERVICES, ServiceName, stage

__all__ = ["CONSUMER_SERVICES", "SERVICES", "ServiceName", "Settings"]


class Settings(BaseSettings):
    """Everything a newsflow process can be told from outside."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSFLOW_",
        env_file=".env",
        extra="ignore",
        frozen=True,
        populate_by_name=True,
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
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    dedup_window_hours: int = Field(default=7 * 24, ge=1)

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
    health_port_base: int = 9101

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
    ingest_mmap_threshold_bytes: int = Field(
        default=128 * 1024,
        ge=0,
        le=32 * 1024 * 1024,
        description="Blocks from this size up are mapped and given back to the system when "
        "freed (a fixed glibc threshold); 0 leaves glibc's own, which grows.",
    )

    # Fault tests
    fault_crash_at: str | None = Field(
        default=None, description="Crash (SIGKILL) at this named point; for fault tests only."
    )

    # Logging
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"

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
