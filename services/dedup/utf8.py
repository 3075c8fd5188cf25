"""The UTF-8 decoder of the compiled token scanner: the code point of one multi-byte character.

The scanner reads bytes, not ``str``; this is the one place that turns a lead byte and its
continuation bytes into a code point (:mod:`services.dedup.scanner` calls it from both its
passes).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import inline

BEYOND = 0x110000  # the code point of a truncated character: above every real one


@inline
def code_point(data: NDArray[np.uint8], i: int) -> tuple[int, int]:
    """(code point, width) of the character whose lead byte (``>= 0xC2``) is ``data[i]``;
    a character cut off by the end of ``data`` (never from ``str.encode``) is
    (:data:`BEYOND`, 1): its lead byte is read as a byte of its own."""
    b = int(data[i])
    width = 2 + (b >= 0xE0) + (b >= 0xF0)
    if i + width > data.size:
        return BEYOND, 1
    if width == 2:
        return ((b & 0x1F) << 6) | (int(data[i + 1]) & 0x3F), 2
    if width == 3:
        code = ((b & 0x0F) << 12) | ((int(data[i + 1]) & 0x3F) << 6)
        return code | (int(data[i + 2]) & 0x3F), 3
    code = ((b & 0x07) << 18) | ((int(data[i + 1]) & 0x3F) << 12)
    return code | ((int(data[i + 2]) & 0x3F) << 6) | (int(data[i + 3]) & 0x3F), 4
