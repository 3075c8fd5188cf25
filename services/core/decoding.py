"""Record values into message models, with permanent errors for what can never be read."""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from services.core.errors import InvalidMessageError
from services.core.models import Message
from services.core.records import ConsumedRecord

M = TypeVar("M", bound=Message)


def decode(record: ConsumedRecord, model: type[M], max_bytes: int) -> M:
    """The record's value as ``model``; an empty, oversized, non-UTF-8 or invalid value is a
    permanent error (it goes to the DLQ with this reason)."""
    value = record.value
    if not value:
        raise InvalidMessageError("the record has no value")
    if len(value) > max_bytes:
        raise InvalidMessageError(f"the value is {len(value)} bytes; at most {max_bytes}")
    try:
        return model.from_bytes(value)
    except ValidationError as error:
        # pydantic's JSON parser takes only valid UTF-8 (in every byte of the value, ignored
        # fields too), so the check that names the fault is paid for by bad values alone
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as not_text:
            raise InvalidMessageError(f"the value is not UTF-8: {not_text.reason}") from not_text
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}"
            for e in error.errors()[:5]
        )
        raise InvalidMessageError(f"not a valid {model.__name__}: {problems}") from error
