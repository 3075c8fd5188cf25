"""The producer factory: which request timeout each kind of producer gets."""

from services.core import kafka
from services.core.settings import Settings

SETTINGS = Settings(stage_producer_timeout_s=3.0, ingest_send_timeout_s=7.0)


async def test_a_stage_transactional_producer_waits_its_own_timeout() -> None:
    producer = kafka.make_producer(SETTINGS, transactional_id="stage-txn")
    try:
        assert producer.client._request_timeout_ms == 3000
    finally:
        await producer.stop()


async def test_the_ingest_producer_waits_the_send_timeout() -> None:
    producer = kafka.make_producer(SETTINGS)
    try:
        assert producer.client._request_timeout_ms == 7000
    finally:
        await producer.stop()
