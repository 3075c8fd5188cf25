"""``newsflow dlq list|show|replay``: inspect the dead-letter topic and replay its records.

The DLQ topic has one partition. ``list`` and ``show`` read it with ``read_committed`` and no
consumer group (nothing is committed), from the beginning to the end offset taken when the read
starts, with a deadline: a bounded read of what was there when the command ran.

``replay`` re-publishes each chosen dead letter's ORIGINAL record — the value (decoded from
base64 if the stage could not read it as text), the key and the original headers, CloudEvents and
``traceparent`` included — to its original topic and partition, so the stage that failed reads it
again after a fix. Downstream, the article keeps its id, so the id-based idempotence of the
dedup and store stages holds for a replayed article too.

Idempotence, and why it is correct:

* every replayed record carries ``nf_replayed_from=<dlq topic>/<partition>/<offset>``;
* a replay runs with ONE transactional producer per deployment (transactional id
  ``<prefix>newsflow.dlq-replay``). Starting it (``init_transactions``) fences any other replay
  still running: that one's open transaction is aborted and it can no longer commit;
* only then are the target partitions scanned, ``read_committed``, from the beginning to their
  high watermark (not the last stable offset, which an unrelated open transaction could hold
  below an earlier replay's committed records), for the ``nf_replayed_from`` values already
  there; the dead letters whose marker is found are skipped (reported as already replayed);
* the rest are sent in one transaction, committed at once: all of them appear, or none.

So two replays of the same DLQ record — one after the other, or racing — publish it once: the
later one either sees the earlier one's committed records, or fenced it before it committed.
The guarantee holds while the replayed record is still in its topic (the raw topic's retention,
7 days by default; the DLQ keeps 30): past that a second replay publishes it again, and the
stages' id-based idempotence is what keeps the processed topic free of duplicates.
A replayed record that fails again lands in the DLQ as a new dead letter (new offset, with the
old marker among its original headers); replaying that one is a new replay, by design.
"""
