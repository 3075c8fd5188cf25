"""The parser's hot modules compiled to C with mypyc, and the rule that decides when they are used.

The plain-text reader (header, bylines, datelines, boilerplate, wire copy), the cited outlets
and the quotation phase (rules, mentions, the speaker resolver) are plain Python spread over
many small functions run for every line or every quotation: much of their time is the
interpreter's, so compiling them pays (measured in docs/performance.md). The compiled modules
are the same source: the pure-Python modules stay, and are what runs whenever the compiled ones
are missing or do not match the source. A compiled module calls its own functions directly: one
replaced on the module from outside is not called by it (tests that count calls load the
source, see tests/unit/parser/test_header.py).

``newsflow compile`` (run by ``make install`` and the Docker build) builds them into
``<venv>/newsflow-native/`` together with a stamp holding a digest of the sources, the Python
version and the mypyc version. :func:`activate`, called when ``services.parser`` is imported,
puts that directory first on the package's path only when the stamp matches the sources now on
disk, so an edited module is never shadowed by a stale build. ``NEWSFLOW_PARSER_NATIVE=0``
keeps the pure-Python modules (to compare the two, or to rule the build out).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import MutableSequence
from pathlib import Path

PACKAGE = "services.parser"
# The compiled modules, in dependency order (each imports only those before it): the plain-text
# reader's and the cited outlets', then the quotation phase's.
MODULES = (
    "outlet_names",  # (whether a byline's or a speaker's name is an outlet's)
    "folding",
    "date_words",
    "zones",
    "dateline",
    "boilerplate",
    "byline",
    "wire",
    "header",
    "plaintext",
    "outlets",
    "quotecues",
    "sentences",
    "quotemarks",
    "mentions",
    "cjkspeakers",
    "namesearch",
    "speakers",
    "attribution",
    "quotes",
)
GROUP = "parser_native"  # the shared library the compiled modules load (one per build)
SWITCH = "NEWSFLOW_PARSER_NATIVE"
OFF = frozenset({"0", "false", "no", "off"})  # the switch's values that keep the sources
_SOURCE_DIR = Path(__file__).resolve().parent


def build_dir() -> Path:
    """Where the compiled modules live: inside the environment that runs them."""
    return Path(sys.prefix) / "newsflow-native"


def stamp(source_dir: Path = _SOURCE_DIR) -> dict[str, str]:
    """What a build was made from: the sources' digest, Python's and mypyc's versions."""
    from mypy.version import __version__ as mypy_version

    return {"sources": _digest(source_dir), "python": sys.version, "mypyc": mypy_version}


def _digest(source_dir: Path) -> str:
    digest = hashlib.sha256()
    for module in MODULES:
        digest.update(module.encode())
        digest.update((source_dir / f"{module}.py").read_bytes())
    return digest.hexdigest()


def _stamp_path(target: Path) -> Path:
    return target / "stamp.json"


def matches(target: Path, source_dir: Path = _SOURCE_DIR) -> bool:
    """Whether the build in ``target`` was made from the sources in ``source_dir`` by this
    Python (the stamp's mypyc version is not checked here: importing mypy to read it would cost
    every process start more than the check itself)."""
    try:
        built = json.loads(_stamp_path(target).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(built, dict)
        and built.get("sources") == _digest(source_dir)
        and built.get("python") == sys.version
    )


def activate(package_path: MutableSequence[str], target: Path | None = None) -> bool:
    """Put the compiled modules ahead of the sources on ``package_path`` (the package's
    ``__path__``) when a matching build exists and the switch allows it."""
    if os.environ.get(SWITCH, "1").strip().lower() in OFF:
        return False
    target = build_dir() if target is None else target
    compiled = target / Path(*PACKAGE.split("."))
    if not compiled.is_dir() or not matches(target):
        return False
    package_path.insert(0, str(compiled))
    return True


def build(target: Path | None = None) -> Path:
    """Compile the modules with mypyc into ``target`` (replacing what is there) and
    write its stamp last, so an interrupted build is never used. Raises on a failed build
    (no C compiler, a mypyc error): the caller reports it and the sources stay in use."""
    target = build_dir() if target is None else target
    root = _SOURCE_DIR.parents[1]  # the directory that holds the services package
    built_from = stamp()  # before compiling: a source edited meanwhile then does not match
    logging.disable(logging.INFO)  # setuptools logs every compiler command line at INFO
    try:
        _compile(root, target)
    finally:
        logging.disable(logging.NOTSET)
    _stamp_path(target).write_text(json.dumps(built_from), "utf-8")
    return target


def _compile(root: Path, target: Path) -> None:
    from mypyc.build import mypycify
    from setuptools import Distribution

    with tempfile.TemporaryDirectory(prefix="newsflow-mypyc-") as scratch:
        previous = Path.cwd()
        os.chdir(root)  # mypy reads the project's configuration, where there is one, from here
        try:
            extensions = mypycify(
                [str(Path(*PACKAGE.split("."), f"{module}.py")) for module in MODULES],
                opt_level="3",
                group_name=f"{PACKAGE}.{GROUP}",
                target_dir=str(Path(scratch) / "c"),
            )
        finally:
            os.chdir(previous)
        for extension in extensions:  # mypyc names the sources relative to the root
            extension.sources = [str(root / source) for source in extension.sources]
            extension.include_dirs = [
                str(path if Path(path).is_absolute() else root / path)
                for path in extension.include_dirs
            ]
        # a bare Distribution: setup() would read the project's pyproject.toml as a package's
        distribution = Distribution({"name": "newsflow-native", "ext_modules": extensions})
        command = distribution.get_command_obj("build_ext")
        staging = Path(scratch) / "lib"
        command.build_lib = str(staging)
        command.build_temp = str(Path(scratch) / "temp")
        distribution.run_command("build_ext")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(staging, target)
