"""The ``newsflow`` command: run the services, manage the local broker, push, tail, schemas."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

import httpx
from pydantic import ValidationError

from services.core.errors import ConfigurationError, NewsflowError
from services.core.logs import configure_logging
from services.core.service import bootstrap_topics
from services.core.settings import SERVICES, ServiceName, Settings
from services.tools import launcher, localkafka


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run services (all by default) with a local broker")
    run.add_argument("services", nargs="*", type=service_name, metavar="SERVICE")
    run.add_argument("--push", metavar="PATH", action="append", default=[], help="push once up")

    tail = commands.add_parser("tail", help="print processed articles as they arrive")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest record")
    tail.add_argument("--skip-duplicates", action="store_true", help="hide duplicate verdicts")
    tail.add_argument("--json", action="store_true", help="print each record's JSON value")
    tail.add_argument("--limit", type=int, default=None, help="stop after this many")

    push = commands.add_parser("push", help="push article files (.txt .html .json .ndjson) or -")
    push.add_argument("paths", nargs="+", metavar="PATH")
    push.add_argument("--url", default=None, help="ingest base URL (default: local ingest)")
    push.add_argument(
        "--charset", default=None, help="encoding of the .txt/.html files (default: detected)"
    )
    push.add_argument(
        "--api-key",
        default=None,
        help="API key (default: NEWSFLOW_PUSH_API_KEY, else the first of NEWSFLOW_INGEST_API_KEYS)",
    )

    kafka = commands.add_parser("kafka", help="the local Kafka broker")
    kafka.add_argument("action", choices=["start", "stop", "status", "exec"])
    kafka.add_argument(
        "argv", nargs=argparse.REMAINDER, help="exec: a command to run with the broker up"
    )

    postgres = commands.add_parser(
        "postgres", help="a local PostgreSQL server (the cluster mode on one machine, the tests)"
    )
    postgres.add_argument("action", choices=["start", "stop", "status", "exec"])
    postgres.add_argument(
        "argv",
        nargs=argparse.REMAINDER,
        help="exec: a command to run with the server up and NEWSFLOW_TEST_DATABASE_URL set",
    )

    topics = commands.add_parser("topics", help="Kafka topics of the flow")
    topics.add_argument("action", choices=["create"])

    schemas = commands.add_parser("schemas", help="write schemas/ from the message models")
    schemas.add_argument("--check", action="store_true", help="exit 1 if schemas/ is stale")

    compile_ = commands.add_parser(
        "compile",
        help="compile the parser's and dedup's numba kernels into their disk cache, and the "
        "parser's hot modules with mypyc (when their build does not match the sources)",
    )
    compile_.add_argument(
        "--native-only", action="store_true", help="only the parser's modules (mypyc)"
    )

    status = commands.add_parser("status", help="the gateway's status of every part, as tables")
    status.add_argument("--url", default=None, help="gateway base URL (default: local gateway)")
    add_dlq_parser(commands)
    return parser


def add_dlq_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dlq = commands.add_parser("dlq", help="inspect and replay the dead-letter topic")
    actions = dlq.add_subparsers(dest="dlq_action", required=True)
    listing = actions.add_parser("list", help="a table of the dead letters, oldest first")
    show = actions.add_parser("show", help="one dead letter in full, its original value included")
    show.add_argument("offset", type=int, metavar="OFFSET")
    replay = actions.add_parser("replay", help="re-publish originals to their topic, once each")
    replay.add_argument("offsets", nargs="*", type=int, metavar="OFFSET")
    replay.add_argument("--all", action="store_true", help="every dead letter")
    replay.add_argument("--dry-run", action="store_true", help="say what would be replayed")
    for sub in (listing, replay):
        sub.add_argument("--stage", default=None, help="only this stage's dead letters")
        sub.add_argument("--error-class", default=None, help="only this error class")
    listing.add_argument("--limit", type=int, default=100, help="newest N shown (default 100)")


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


def command_postgres(settings: Settings, action: str, argv: list[str]) -> int:
    """start, stop, status; exec runs ``argv`` with the server up (its admin URL as
    ``NEWSFLOW_TEST_DATABASE_URL``) and stops the server if this call started it."""
    from services.tools import localpostgres

    argv = argv[1:] if argv[:1] == ["--"] else argv
    if action == "exec" and not argv:
        raise ConfigurationError("postgres exec needs a command: newsflow postgres exec -- CMD…")
    if action == "status":
        current = localpostgres.status(settings)
        print(f"postgres: {current.detail} ({current.url}), data in {current.paths.root}")
        return 0 if current.running else 3
    if action == "stop":
        stopped = localpostgres.stop(settings)
        print("postgres: stopped" if stopped else "postgres: was not running")
        return 0
    current, took = localpostgres.start(settings)
    verb = f"started in {took:.1f}s" if took else "already running"
    print(f"postgres: {verb}, pid {current.pid}, data in {current.paths.root}", flush=True)
    if current.paths.moved_from is not None:
        print(
            f"postgres: (the server's account cannot enter {current.paths.moved_from.parent}, "
            "so its data is kept there instead)",
            flush=True,
        )
    print(f"postgres: NEWSFLOW_DATABASE_URL={current.url}", flush=True)
    if action == "start":
        return 0
    try:
        environment = os.environ | {"NEWSFLOW_TEST_DATABASE_URL": current.admin_url}
        return subprocess.run(argv, env=environment, check=False).returncode
    except OSError as error:
        print(f"newsflow: cannot run {argv[0]}: {error}", file=sys.stderr)
        return 127
    finally:
        if took:
            localpostgres.stop(settings)
            print("postgres: stopped", flush=True)


def command_push(settings: Settings, args: argparse.Namespace) -> int:
    from services.ingest.push import push

    base = args.url or settings.ingest_url
    try:
        summary = push(args.paths, base, args.api_key or settings.push_key, args.charset)
    except httpx.TransportError as error:
        raise ConfigurationError(f"cannot reach the ingest service at {base}: {error}") from error
    print("\n".join(summary.lines()))
    return 1 if summary.rejected else 0


def command_schemas(check: bool) -> int:
    """Write the JSON Schemas and the AsyncAPI document, or (--check) list the stale ones."""
    from services.tools.contracts import check_schemas, write_schemas
    from services.tools.resources import schemas_dir, writable_schemas_dir

    if check:
        stale = check_schemas(schemas_dir())
        for name in stale:
            print(f"schemas: {name} is stale; run `newsflow schemas`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_schemas(writable_schemas_dir()):
        print(f"schemas: wrote {path}")
    return 0


def command_tail(settings: Settings, args: argparse.Namespace) -> int:
    from services.store.tail import tail

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            tail(
                settings,
                from_beginning=args.from_beginning,
                skip_duplicates=args.skip_duplicates,
                as_json=args.json,
                limit=args.limit,
            )
        )
    return 0


def command_topics(settings: Settings, _args: argparse.Namespace) -> int:
    asyncio.run(bootstrap_topics(settings))
    print("topics: ready")
    return 0


def command_run(settings: Settings, args: argparse.Namespace) -> int:
    services: list[ServiceName] = args.services or available_services()
    after = launcher.push_when_ready(settings, args.push) if args.push else None
    return asyncio.run(launcher.run(settings, services, after))


def command_dlq(settings: Settings, args: argparse.Namespace) -> int:
    from services.tools.dlq.command import run_dlq

    return run_dlq(settings, args)


def command_compile(_settings: Settings, args: argparse.Namespace) -> int:
    """Compile (or load) every kernel the services run, so no service start pays for it, and
    build the parser's compiled modules unless a build matching their sources exists."""
    from services.parser import native

    started = time.monotonic()
    target = native.build_dir()
    if native.matches(target):
        print(f"parser modules: compiled build up to date in {target}")
    else:
        try:
            native.build(target)
        except (Exception, SystemExit) as error:  # mypyc's and the compiler's share no type
            print(f"parser modules: the mypyc build failed: {error}", file=sys.stderr)
            return 1
        print(f"parser modules: compiled in {time.monotonic() - started:.1f}s into {target}")
    if args.native_only:
        return 0
    from services.dedup.deduplicator import warm_up as warm_dedup
    from services.parser.parse import warm_up as warm_parser

    started = time.monotonic()
    warm_dedup()
    warm_parser()
    print(f"kernels: compiled in {time.monotonic() - started:.1f}s")
    return 0


def command_status(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console

    from services.gateway.console import fetch_status, render

    Console().print(render(fetch_status(args.url or settings.gateway_url)))
    return 0


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "kafka": lambda settings, args: command_kafka(settings, args.action, args.argv),
    "postgres": lambda settings, args: command_postgres(settings, args.action, args.argv),
    "topics": command_topics,
    "schemas": lambda _settings, args: command_schemas(args.check),
    "tail": command_tail,
    "push": command_push,
    "run": command_run,
    "status": command_status,
    "compile": command_compile,
    "dlq": command_dlq,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    extra = getattr(args, "argv", None)
    if extra and args.command in ("kafka", "postgres") and args.action != "exec":
        # only exec takes a command: "start --help" once started a server instead of helping
        if extra[0] in ("-h", "--help"):
            parser.parse_args([args.command, "--help"])  # prints the help and exits
        parser.error(f"{args.command} {args.action} takes no arguments: {' '.join(extra)}")
    try:
        settings = Settings()
    except ValidationError as error:  # a bad NEWSFLOW_* variable: its message, no traceback
        print(f"newsflow: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format, service="newsflow")
    try:
        return COMMANDS[args.command](settings, args)
    except NewsflowError as error:
        print(f"newsflow: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
