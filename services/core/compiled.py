"""Typed decorators for the numba-compiled inner loops of the services (numba is untyped: it
stays behind this module). Kernels compile on first use and are cached on disk next to their
module (``cache=True``); ``newsflow compile`` fills the cache ahead of time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])


def jit(func: F) -> F:
    """Compile ``func`` (nopython, cached on disk)."""
    return cast(F, numba.njit(cache=True)(func))


def inline(func: F) -> F:
    """Compile ``func`` to be inlined into the kernels that call it."""
    return cast(F, numba.njit(cache=True, inline="always")(func))
