"""The ``newsflow`` command."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import subprocess
import sys
from collections.abc import Sequence

from services.core import launcher, localkafka
from services.core.errors import NewsflowError
from services.core.logs import configure_logging
from services.core.service import bootstrap_topics
from services.core.settings import SERVICES, ServiceName, Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run services (all by default) with a local broker")
    run.add_argument("services", nargs="*", type=service_name, metavar="SERVICE")

    kafka = commands.add_parser("kafka", help="the local Kafka broker")
    kafka.add_argument("action", choices=["start", "stop", "status", "exec"])
    kafka.add_argument(
        "argv", nargs=argparse.REMAINDER, help="exec: a command to run with the broker up"
    )

    topics = commands.add_parser("topics", help="Kafka topics of the flow")
    topics.add_argument("action", choices=["create"])
    return parser


def service_name(value: str) -> ServiceName:
    if value not in SERVICES:
        raise argparse.ArgumentTypeError(f"unknown service {value!r}; choose from {SERVICES}")
    return value


def available_services() -> list[ServiceName]:
    """The services that have an entry point (``python -m services.<name>``)."""
    return [name for name in SERVICES if importlib.util.find_spec(f"services.{name}.__main__")]


def command_kafka(settings: Settings, action: str, argv: list[str]) -> int:
    """start, stop, status; exec runs ``argv`` with the broker up and stops what it started."""
    argv = argv[1:] if argv[:1] == ["--"] else argv
    if action == "status":
        current = localkafka.status(settings)
        print(f"kafka: {current.detail} ({current.bootstrap})")
        return 0 if current.running else 3
    if settings.uses_external_kafka:
        print(f"kafka: using {settings.bootstrap_servers}; nothing to {action}", flush=True)
        return subprocess.run(argv, check=False).returncode if action == "exec" else 0
    if action in {"start", "exec"}:
        current, took = localkafka.start(settings)
        verb = f"started in {took:.1f}s" if took else "already running"
        print(f"kafka: {verb}, pid {current.pid}, {current.bootstrap}", flush=True)
        if action == "start":
            return 0
        try:
            return subprocess.run(argv, check=False).returncode
        finally:
            if took:
                localkafka.stop(settings)
                print("kafka: stopped", flush=True)
    stopped = localkafka.stop(settings)
    print("kafka: stopped" if stopped else "kafka: was not running")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service="newsflow")
    try:
        if args.command == "kafka":
            return command_kafka(settings, args.action, args.argv)
        if args.command == "topics":
            asyncio.run(bootstrap_topics(settings))
            print("topics: ready")
            return 0
        services: list[ServiceName] = args.services or available_services()
        return asyncio.run(launcher.run(settings, services))
    except NewsflowError as error:
        print(f"newsflow: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
