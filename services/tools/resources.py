"""The files the tools read at run time, found in one place.

The local broker needs its Maven POM, ``server.properties`` template and logging configuration
(``deploy/kafka/`` in the repository); ``newsflow schemas --check`` compares the models with the
published contracts (``schemas/``). A wheel ships both inside this package, as
``services/tools/kafka/`` and ``services/tools/schemas/`` (the ``force-include`` table of
pyproject.toml), so an installed ``newsflow`` finds them wherever it runs from; a source checkout
or an editable install has no such copies and reads the repository's own directories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.core.errors import ConfigurationError

PACKAGE_DIR = Path(__file__).resolve().parent
REPOSITORY = PACKAGE_DIR.parents[1]  # the checkout's root, when this is one


@dataclass(frozen=True, slots=True)
class Resource:
    """A directory of run-time files: where a wheel puts it, where a checkout has it."""

    name: str
    packaged: Path
    checkout: Path

    def locate(self) -> Path:
        """The shipped copy if this is an installed package, else the checkout's directory."""
        for candidate in (self.packaged, self.checkout):
            if candidate.is_dir():
                return candidate
        raise ConfigurationError(
            f"{self.name} not found: neither {self.packaged} (an installed newsflow) nor "
            f"{self.checkout} (a source checkout) exists"
        )


KAFKA = Resource("the local broker's files", PACKAGE_DIR / "kafka", REPOSITORY / "deploy" / "kafka")
SCHEMAS = Resource("the published schemas", PACKAGE_DIR / "schemas", REPOSITORY / "schemas")


def kafka_dir() -> Path:
    """The directory of ``pom.xml``, ``server.properties`` and ``log4j2.yaml``."""
    return KAFKA.locate()


def schemas_dir() -> Path:
    """The published ``schemas/`` this newsflow ships (or the checkout's)."""
    return SCHEMAS.locate()


def is_checkout() -> bool:
    """True when this package runs from a source checkout (or an editable install of one)."""
    return not SCHEMAS.packaged.is_dir() and (REPOSITORY / "pyproject.toml").is_file()


def writable_schemas_dir() -> Path:
    """Where ``newsflow schemas`` writes: the checkout's ``schemas/``, never an installed
    package's copy (that one is what the wheel was built with, and only checked)."""
    if not is_checkout():
        raise ConfigurationError(
            "`newsflow schemas` writes schemas/ of a source checkout; this newsflow is an "
            "installed package: use `newsflow schemas --check`"
        )
    return SCHEMAS.checkout
