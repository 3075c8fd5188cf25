"""A resource that is opened by a factory and closed by ``close()`` or an ``async with`` block."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class AsyncClosing:
    """``async with resource:`` closes it on the way out; subclasses define ``close``."""

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
