"""Dedup's PostgreSQL schema (pure: SQL text only; :mod:`services.dedup.pgstate` applies it).

The tables mirror the SQLite file's, prefixed ``dedup_`` (they share a database with the
store's), each row under a *scope*: the number of a row of ``dedup_scopes``, whose name is the
dedup consumer group (``<topic prefix>newsflow.dedup``). Applied versions are rows of
``dedup_schema_version``; :data:`MIGRATIONS` lists the steps in order, and a process applies
the missing ones at start, in one transaction under :data:`MIGRATION_LOCK` (so two processes
starting at once never both apply one).
"""

from __future__ import annotations

from services.core.migration import Migration, version_table
from services.dedup.staterows import FINGERPRINT_COLUMNS

# Advisory-lock key of migrations (two-integer form: class "nfdd", 0; other parts of newsflow
# use the one-bigint form or other classes).
MIGRATION_LOCK = (0x6E66_6464, 0)


VERSION_TABLE_NAME = "dedup_schema_version"
VERSION_TABLE = version_table(VERSION_TABLE_NAME)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "dedup's state: scopes, meta, verdicts, fingerprints, boilerplate blocks and promotions",
        (
            """CREATE TABLE dedup_scopes (
                id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text COLLATE "C" NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now())""",
            """CREATE TABLE dedup_meta (
                scope integer NOT NULL, key text COLLATE "C" NOT NULL, value text NOT NULL,
                PRIMARY KEY (scope, key))""",
            """CREATE TABLE dedup_verdicts (
                scope integer NOT NULL, article_id text COLLATE "C" NOT NULL,
                story_id text COLLATE "C" NOT NULL, verdict text NOT NULL,
                PRIMARY KEY (scope, article_id))""",
            """CREATE TABLE dedup_fingerprints (
                scope integer NOT NULL, seq bigint NOT NULL, article_id text COLLATE "C" NOT NULL,
                story_id text COLLATE "C" NOT NULL, event_time bigint NOT NULL,
                body_hash bigint NOT NULL, url_key bigint, shingle_count integer NOT NULL,
                sample bytea NOT NULL, lede bytea NOT NULL, anchors bytea NOT NULL,
                first_body boolean NOT NULL,
                PRIMARY KEY (scope, seq))""",
            "CREATE INDEX dedup_fingerprints_event_time ON dedup_fingerprints (scope, event_time)",
            """CREATE TABLE dedup_boilerplate_blocks (
                scope integer NOT NULL, block bigint NOT NULL, stories bytea NOT NULL,
                last_seq bigint NOT NULL,
                PRIMARY KEY (scope, block))""",
            """CREATE TABLE dedup_boilerplate_promoted (
                scope integer NOT NULL, block bigint NOT NULL, shingles bytea NOT NULL,
                PRIMARY KEY (scope, block))""",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

# --- the statements of the state store ---------------------------------------------------------

_COLUMNS = ", ".join(FINGERPRINT_COLUMNS)

SCOPE = """
WITH new AS (
    INSERT INTO dedup_scopes (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id
)
SELECT id FROM new UNION ALL SELECT id FROM dedup_scopes WHERE name = $1"""
META = "SELECT key, value FROM dedup_meta WHERE scope = $1"
META_DEFAULTS = """
INSERT INTO dedup_meta (scope, key, value) SELECT $1, * FROM unnest($2::text[], $3::text[])
ON CONFLICT (scope, key) DO NOTHING"""
META_SET = """
INSERT INTO dedup_meta (scope, key, value) SELECT $1, * FROM unnest($2::text[], $3::text[])
ON CONFLICT (scope, key) DO UPDATE SET value = EXCLUDED.value"""
VERDICTS = """
SELECT article_id, verdict FROM dedup_verdicts WHERE scope = $1 AND article_id = ANY($2::text[])"""
RECORDS = f"SELECT {_COLUMNS} FROM dedup_fingerprints WHERE scope = $1 AND seq = ANY($2::bigint[])"
WINDOW = f"""
SELECT {_COLUMNS} FROM dedup_fingerprints WHERE scope = $1 AND event_time >= $2 ORDER BY seq"""
BLOCKS = "SELECT block, stories, last_seq FROM dedup_boilerplate_blocks WHERE scope = $1"
PROMOTED = "SELECT block, shingles FROM dedup_boilerplate_promoted WHERE scope = $1"

INSERT_VERDICTS = """
INSERT INTO dedup_verdicts (scope, article_id, story_id, verdict)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])"""
INSERT_FINGERPRINTS = f"""
INSERT INTO dedup_fingerprints (scope, {_COLUMNS})
SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
    $7::bigint[], $8::integer[], $9::bytea[], $10::bytea[], $11::bytea[], $12::boolean[])"""
DELETE_BLOCKS = (
    "DELETE FROM dedup_boilerplate_blocks WHERE scope = $1 AND block = ANY($2::bigint[])"
)
UPSERT_BLOCKS = """
INSERT INTO dedup_boilerplate_blocks (scope, block, stories, last_seq)
SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bigint[])
ON CONFLICT (scope, block) DO UPDATE SET stories = EXCLUDED.stories, last_seq = EXCLUDED.last_seq"""
UPSERT_PROMOTED = """
INSERT INTO dedup_boilerplate_promoted (scope, block, shingles)
SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])
ON CONFLICT (scope, block) DO UPDATE SET shingles = EXCLUDED.shingles"""
SWEEP = "DELETE FROM dedup_fingerprints WHERE scope = $1 AND event_time < $2"
