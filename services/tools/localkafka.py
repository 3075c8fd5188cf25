"""The local single-node Kafka broker, run from Apache Kafka's jars fetched with Maven.

``start`` fetches the jars once into the cache directory, formats a KRaft log directory under the
data directory, starts the broker on loopback, waits until it answers and records its PID;
``stop`` ends exactly that PID. Nothing here runs when the user points newsflow at their own
cluster (``KAFKA_BOOTSTRAP_SERVERS``).
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import ConfigurationError
from services.core.settings import Settings
from services.tools.resources import kafka_dir

READY_LINE = "Kafka Server started"
MIN_JAVA = 17


@dataclass(frozen=True, slots=True)
class BrokerPaths:
    root: Path

    @property
    def log_dir(self) -> Path:
        return self.root / "log"

    @property
    def properties(self) -> Path:
        return self.root / "server.properties"

    @property
    def pid_file(self) -> Path:
        return self.root / "broker.pid"

    @property
    def output(self) -> Path:
        return self.root / "broker.log"

    @property
    def cluster_id(self) -> Path:
        return self.root / "cluster-id"


@dataclass(frozen=True, slots=True)
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    detail: str


def paths_for(settings: Settings) -> BrokerPaths:
    return BrokerPaths(settings.data_dir.resolve() / "kafka")


def jars_dir(settings: Settings) -> Path:
    return settings.cache_dir / f"kafka-{settings.kafka_version}" / "libs"


def java_major_version(java: str) -> int:
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        raise ConfigurationError(f"cannot tell the Java version of {java}")
    major = int(match[1])
    return int(match[2]) if major == 1 and match[2] else major


def require_tools() -> str:
    """The java executable, after checking Java 17+ and Maven are present."""
    java = shutil.which("java")
    if java is None:
        raise ConfigurationError("Java 17 or newer is needed to run the local Kafka broker")
    if (major := java_major_version(java)) < MIN_JAVA:
        raise ConfigurationError(f"Java {MIN_JAVA}+ is needed for Kafka; found Java {major}")
    if shutil.which("mvn") is None:
        raise ConfigurationError("Maven (mvn) is needed to fetch the Kafka jars")
    return java


def fetch_jars(settings: Settings) -> Path:
    """Fetch the broker's jars with Maven once; later calls reuse the cache."""
    libs = jars_dir(settings)
    marker = libs / ".complete"
    if marker.exists():
        return libs
    libs.mkdir(parents=True, exist_ok=True)
    command = [
        "mvn", "-B", "-q", "-f", str(kafka_dir() / "pom.xml"),
        f"-Dkafka.version={settings.kafka_version}",
        "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={libs}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-2000:]
        raise ConfigurationError(f"Maven could not fetch the Kafka jars:\n{tail}")
    marker.touch()
    return libs


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def render_properties(settings: Settings, paths: BrokerPaths) -> str:
    template = (kafka_dir() / "server.properties").read_text()
    return (
        template.replace("{controller_port}", str(settings.kafka_controller_port))
        .replace("{port}", str(settings.kafka_port))
        .replace("{log_dir}", str(paths.log_dir))
    )


JVM_PERFORMANCE_OPTIONS = (
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15",
)
# The JIT's compiler threads stay up when idle, so the CPU they used stays visible in /proc
# (bench.e2e reports it; a thread that ends takes its count with it).
JIT_OPTIONS = ("-XX:-UseDynamicNumberOfCompilerThreads",)


def _java_command(java: str, settings: Settings, libs: Path, main: str, *args: str) -> list[str]:
    return [
        java,
        f"-Xmx{settings.kafka_heap}",
        f"-Xms{settings.kafka_heap}",
        # the JVM settings Kafka's own start script uses (kafka-run-class.sh): G1 with short
        # pauses, so a collection never holds records back for long
        *JVM_PERFORMANCE_OPTIONS,
        *JIT_OPTIONS,
        *jvm_options(settings),
        f"-Dlog4j2.configurationFile={kafka_dir() / 'log4j2.yaml'}",
        "-Djava.awt.headless=true",
        "-cp",
        f"{libs}/*",
        main,
        *args,
    ]


def jvm_options(settings: Settings) -> list[str]:
    """``kafka_jvm_options`` as separate arguments (a bad quote is a clear error)."""
    try:
        return shlex.split(settings.kafka_jvm_options)
    except ValueError as error:
        raise ConfigurationError(
            f"NEWSFLOW_KAFKA_JVM_OPTIONS cannot be split into options ({error}): "
            f"{settings.kafka_jvm_options!r}"
        ) from error


def format_storage(java: str, settings: Settings, paths: BrokerPaths, libs: Path) -> None:
    if not paths.cluster_id.exists():
        paths.cluster_id.write_text(_kafka_cluster_id())
    command = _java_command(
        java, settings, libs, "kafka.tools.StorageTool", "format",
        f"--cluster-id={paths.cluster_id.read_text().strip()}", "-c", str(paths.properties),
        "--ignore-formatted",
    )  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ConfigurationError(f"formatting the Kafka log directory failed:\n{result.stderr}")


def _kafka_cluster_id() -> str:
    """A cluster id in Kafka's form: 16 random bytes, URL-safe base64 without padding, never
    starting with a dash (as Kafka's own ``Uuid.randomUuid`` does)."""
    while (value := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))[0] == "-":
        continue
    return value


def read_pid(paths: BrokerPaths) -> int | None:
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _is_our_broker(pid, paths) else None


def _is_our_broker(pid: int, paths: BrokerPaths) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"kafka.Kafka" in cmdline and str(paths.properties).encode() in cmdline


def status(settings: Settings) -> BrokerStatus:
    paths = paths_for(settings)
    if settings.uses_external_kafka:
        return BrokerStatus(
            True, None, settings.bootstrap_servers, "external cluster (not managed)"
        )
    pid = read_pid(paths)
    if pid is None:
        return BrokerStatus(False, None, settings.bootstrap_servers, "not running")
    return BrokerStatus(True, pid, settings.bootstrap_servers, f"running, pid {pid}")


def start(settings: Settings) -> tuple[BrokerStatus, float]:
    """Start the local broker (or find it running); return its status and the seconds taken."""
    begun = time.monotonic()
    current = status(settings)
    if current.running:
        return current, 0.0
    java = require_tools()
    for port in (settings.kafka_port, settings.kafka_controller_port):
        if port_in_use(port):
            raise ConfigurationError(
                f"port {port} is in use by another process; set NEWSFLOW_KAFKA_PORT / "
                "NEWSFLOW_KAFKA_CONTROLLER_PORT or stop that process"
            )
    libs = fetch_jars(settings)
    paths = paths_for(settings)
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    paths.properties.write_text(render_properties(settings, paths))
    format_storage(java, settings, paths, libs)
    with paths.output.open("wb") as output:  # one log per broker run
        process = subprocess.Popen(
            _java_command(java, settings, libs, "kafka.Kafka", str(paths.properties)),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    paths.pid_file.write_text(str(process.pid))
    _wait_until_ready(process, paths, settings.kafka_start_timeout_s)
    return status(settings), time.monotonic() - begun


def _wait_until_ready(
    process: subprocess.Popen[bytes], paths: BrokerPaths, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        seen = paths.output.read_text(errors="replace")
        if process.poll() is not None:
            paths.pid_file.unlink(missing_ok=True)
            raise ConfigurationError(
                f"the Kafka broker exited with code {process.returncode}; see {paths.output}:\n"
                + seen[-2000:]
            )
        if READY_LINE in seen:
            return
        time.sleep(0.2)
    _terminate(process.pid, 10.0)
    paths.pid_file.unlink(missing_ok=True)
    raise ConfigurationError(
        f"the Kafka broker did not come up within {timeout_s:.0f}s; see {paths.output}"
    )


def stop(settings: Settings, timeout_s: float = 30.0) -> bool:
    """Stop the broker this project started (exactly its recorded PID); False if none ran."""
    paths = paths_for(settings)
    pid = read_pid(paths)
    if pid is None:
        paths.pid_file.unlink(missing_ok=True)
        return False
    _terminate(pid, timeout_s)
    paths.pid_file.unlink(missing_ok=True)
    return True


def _terminate(pid: int, timeout_s: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        waited = 0
    if waited == pid:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"
