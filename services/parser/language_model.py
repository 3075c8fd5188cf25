"""py3langid's model file read straight into the arrays the language identifier scores with.

The file is an ``.npz`` (a zip of ``.npy`` arrays) compressed with xz. py3langid's own
``load_model`` reads each array whole and then copies it: the transition table (~39 MB) into a
stdlib ``array``, the output and row tables into Python lists, and the float16 weights (~28 MB)
stay beside the float32 ones (~57 MB) the identifier converts them to. Loaded that way the
model briefly took ~65 MB more than it keeps. Here each array is read in chunks into the one
numpy array that is kept, the weights converted to float32 on the way (exact: every float16 is
a float32), so loading takes little more than the model itself.
"""

from __future__ import annotations

import lzma
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
from numpy.lib import format as npy

CHUNK_BYTES = 1 << 20
_HEADER_READERS = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}


class Model(NamedTuple):
    weights: np.ndarray[Any, np.dtype[np.float32]]  # per feature (row) and class (column)
    priors: np.ndarray[Any, np.dtype[np.float32]]  # per class
    classes: list[str]
    transitions: np.ndarray[Any, np.dtype[np.uint32]]  # 256 per distinct row of the automaton
    rows: np.ndarray[Any, np.dtype[np.integer[Any]]]  # each state's row in ``transitions``
    output: np.ndarray[Any, np.dtype[np.int32]]  # each state's feature, or -1


def read_model(path: Path) -> Model:
    """The model in ``path``, as py3langid's ``load_model`` reads it, with float32 weights."""
    with tempfile.TemporaryFile(suffix=".npz") as unpacked:
        with lzma.open(path) as packed:  # the zip is read out of order: unpack it to a file
            shutil.copyfileobj(packed, unpacked, CHUNK_BYTES)
        unpacked.seek(0)
        with zipfile.ZipFile(unpacked) as archive:

            def member(name: str, dtype: Any = None) -> Any:
                with archive.open(f"{name}.npy") as source:
                    return read_array(source, dtype)

            return Model(
                weights=member("ptc", np.float32),
                priors=member("pc"),
                classes=member("classes").tolist(),
                transitions=member("nextmove"),
                rows=member("nextmove_row"),
                output=member("out_feat"),
            )


def read_array(source: IO[bytes], dtype: Any = None) -> Any:
    """The ``.npy`` array in ``source``, as ``dtype`` (its own if None), filled chunk by chunk
    so that the stored form is never held whole beside it."""
    version = npy.read_magic(source)
    if version not in _HEADER_READERS:
        raise ValueError(f"unsupported .npy version {version}")
    shape, fortran_order, stored = _HEADER_READERS[version](source)
    if fortran_order or stored.hasobject:
        raise ValueError("unsupported model layout: Fortran order or Python objects")
    array = np.empty(shape, dtype=dtype or stored)
    flat = array.reshape(-1)  # a view: filling it fills the array
    step = max(1, CHUNK_BYTES // max(stored.itemsize, 1))
    for start in range(0, flat.size, step):
        count = min(step, flat.size - start)
        data = source.read(count * stored.itemsize)
        if len(data) != count * stored.itemsize:
            raise ValueError("truncated model array")
        flat[start : start + count] = np.frombuffer(data, dtype=stored)
    return array
