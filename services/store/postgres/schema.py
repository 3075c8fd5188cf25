"""The store's PostgreSQL schema: its versioned steps, and the advisory-lock keys it relies on.

Pure: SQL text only (``postgres/database.py`` applies it). Applied versions are rows of
``schema_version``; :data:`MIGRATIONS` is the ordered tuple of steps
(:class:`~services.store.migration.Migration`).

The tables mirror SQLite's (``sqlite/database.py``), with these differences:

* ``seq``, an article's position in the live stream, comes from the sequence ``article_seq``.
  With several writers, positions are handed out in insert order but committed in any order;
  readers use :data:`STREAM_LOCK_BASE` to tell the positions that can no longer change (see
  ``postgres/stream.py``).
* Full text: ``search_vector`` holds the title (weight A) and body (B) stemmed by the
  configuration of the article's language (``search_config``, a row of ``search_configs``), for
  a stemmed language the same words unstemmed (C and D), for prefix searches, and the tag of its
  configuration (``~english``), so one GIN index answers a query per language; see
  ``postgres/tsquery.py``.
  The words are cut and folded before PostgreSQL sees them
  (:func:`services.store.fulltext.index_words`), so its parser meets only plain words.
* Author names are kept case-folded (``author_key``), and compared so.
* Text compared for order or equality (``id``, ``source``, ``language``, ``story_id``) uses the
  ``C`` collation: the same order as SQLite's, whatever the database's locale.
"""

from __future__ import annotations

from services.core.migration import Migration, version_table
from services.store.postgres.languages import SIMPLE, STEMMER_IDS, config_name
from services.store.postgres.quotes import QUOTES_VERSION
from services.store.postgres.quotes import SCHEMA_V3 as QUOTES_SCHEMA
from services.store.search import NO_DATE

# Advisory-lock keys (PostgreSQL's one-bigint form: classid = high 32 bits, objid = low 32).
# Each spells its owner in ASCII: "nfmigrat" serialises migrations; "nfst" + a 40-bit position
# marks a writer in flight in the stream (see postgres/stream.py). Other users of advisory locks
# on the same database (dedup's lease) must pick keys outside these.
MIGRATION_LOCK = 0x6E66_6D69_6772_6174
STREAM_LOCK_BASE = 0x6E66_7374_0000_0000
STREAM_LOCK_SPAN = 1 << 40

VERSION_TABLE_NAME = "schema_version"
SCHEMA_VERSION_TABLE = version_table(VERSION_TABLE_NAME)

# The default parser's token types: words (stemmed) and the rest (kept as they are). After
# index_words only words and numbers reach the parser; the others are mapped all the same, so
# no token is ever dropped.
_WORD_TOKENS = (
    "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
    "hword_numpart"
)
_OTHER_TOKENS = "email, url, host, url_path, file, sfloat, float, int, uint, version, tag, entity"


def _search_configs() -> str:
    """A ``DO`` block: ``newsflow_simple``, and a configuration per Snowball stemmer the server
    has (a dictionary without stop words each), each listed in ``search_configs``."""
    simple = config_name(None)
    stemmers = ", ".join(f"({number}, '{name}')" for name, number in STEMMER_IDS.items())
    return f"""
    DO $$
    DECLARE
        s record;
    BEGIN
        CREATE TEXT SEARCH CONFIGURATION {simple} (PARSER = default);
        ALTER TEXT SEARCH CONFIGURATION {simple}
            ADD MAPPING FOR {_WORD_TOKENS}, {_OTHER_TOKENS} WITH simple;
        INSERT INTO search_configs (id, stemmer, config) VALUES ({SIMPLE}, 'simple', '{simple}');
        FOR s IN SELECT * FROM (VALUES {stemmers}) AS v (id, name) LOOP
            CONTINUE WHEN NOT EXISTS (
                SELECT 1 FROM pg_ts_dict WHERE dictname = s.name || '_stem'
            );
            EXECUTE format(
                'CREATE TEXT SEARCH DICTIONARY %I (TEMPLATE = snowball, Language = %s)',
                'newsflow_' || s.name || '_stem', s.name
            );
            EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (PARSER = default)',
                'newsflow_' || s.name);
            EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %I ADD MAPPING FOR {_WORD_TOKENS} '
                'WITH %I', 'newsflow_' || s.name, 'newsflow_' || s.name || '_stem');
            EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %I ADD MAPPING FOR {_OTHER_TOKENS} '
                'WITH simple', 'newsflow_' || s.name);
            INSERT INTO search_configs (id, stemmer, config)
                VALUES (s.id, s.name, ('newsflow_' || s.name)::regconfig);
        END LOOP;
    END
    $$
    """


_SCHEMA_V1 = (
    """
    CREATE TABLE search_configs (
        id smallint PRIMARY KEY,
        stemmer text NOT NULL UNIQUE,       -- 'simple': no stemming
        config regconfig NOT NULL,
        used boolean NOT NULL DEFAULT false -- an article of it was stored: searches read it
    )
    """,
    _search_configs(),
    "CREATE SEQUENCE article_seq AS bigint",
    f"""
    CREATE TABLE articles (
        id text COLLATE "C" PRIMARY KEY,    -- the article id: one row per id, first version kept
        seq bigint NOT NULL DEFAULT nextval('article_seq') UNIQUE,  -- stream position
        canonical_url text,
        url text,
        source text COLLATE "C",
        site_name text,
        title text,
        subtitle text,
        authors text NOT NULL,              -- JSON array
        published_at text,                  -- ISO 8601 with the source's offset
        published_at_utc bigint,            -- epoch microseconds, NULL when unknown
        sort_ts bigint NOT NULL GENERATED ALWAYS AS (coalesce(published_at_utc, {NO_DATE})) STORED,
        updated_at text,
        language text COLLATE "C",
        lead text,
        word_count integer NOT NULL,
        cited_outlets text NOT NULL,        -- JSON array
        story_id text COLLATE "C" NOT NULL,
        verdict text NOT NULL CHECK (verdict IN ('unique', 'duplicate', 'update')),
        duplicate_of text,
        similarity double precision NOT NULL,
        dedup_method text NOT NULL,
        dedup_evidence text NOT NULL,       -- JSON object
        received_at text NOT NULL,          -- ISO 8601 UTC, fixed width
        stored_at text NOT NULL,            -- ISO 8601 UTC, fixed width
        body text NOT NULL,                 -- paragraphs joined by blank lines
        doc text NOT NULL,                  -- the whole ProcessedArticle as JSON
        search_config smallint NOT NULL REFERENCES search_configs (id),
        search_vector tsvector NOT NULL
    )
    """,
    "ALTER SEQUENCE article_seq OWNED BY articles.seq",
    # The large columns live out of the row (TOAST), so the rows a search sorts stay small
    # enough to be cached at a million articles; compressed with lz4 where the server has it.
    """
    DO $$
    BEGIN
        ALTER TABLE articles
            ALTER COLUMN search_vector SET COMPRESSION lz4,
            ALTER COLUMN doc SET COMPRESSION lz4,
            ALTER COLUMN body SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR syntax_error THEN
        NULL;  -- a server built without lz4, or before PostgreSQL 14: its default compression
    END
    $$
    """,
    """
    CREATE TABLE article_authors (
        author_key text COLLATE "C" NOT NULL,   -- the name case-folded
        article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (author_key, article_id)
    )
    """,
    "CREATE INDEX ix_article_authors_article ON article_authors (article_id)",
    "CREATE INDEX ix_articles_published ON articles (sort_ts, id)",
    "CREATE INDEX ix_articles_source ON articles (source, sort_ts, id)",
    "CREATE INDEX ix_articles_language ON articles (language, sort_ts, id)",
    "CREATE INDEX ix_articles_story ON articles (story_id, sort_ts, id)",
    "CREATE INDEX ix_articles_counts ON articles (verdict, source)",
    "CREATE INDEX ix_articles_search ON articles USING gin (search_vector)",
    # Which consumed record first claimed each article id: the store publishes an article only
    # for that record, so redeliveries and re-pushes of one id publish it exactly once.
    """
    CREATE TABLE claims (
        article_id text COLLATE "C" PRIMARY KEY,
        source_topic text NOT NULL,
        source_partition integer NOT NULL,
        source_offset bigint NOT NULL
    )
    """,
)

# The totals the gateway polls, kept by the database as articles come and go: counting a million
# rows at every poll reads its whole index. Each writer session adds to rows of its own shard
# (its backend pid), so concurrent writers never wait on one another's counts; a reader sums
# the shards. Statement triggers with transition tables count whatever writes the rows, in the
# writing transaction; the migration counts the rows already stored, after the triggers exist
# (creating them holds back concurrent inserts until it commits).
COUNT_SHARDS = 64
_SCHEMA_V2 = (
    """
    CREATE TABLE article_counts (
        verdict text NOT NULL,
        source text COLLATE "C" NOT NULL,   -- '' for none
        shard smallint NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (verdict, source, shard)
    )
    """,
    f"""
    CREATE FUNCTION newsflow_count_articles() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO article_counts AS c (verdict, source, shard, n)
                SELECT verdict, coalesce(source, ''), pg_backend_pid() % {COUNT_SHARDS}, -count(*)
                FROM gone GROUP BY 1, 2
                ON CONFLICT (verdict, source, shard) DO UPDATE SET n = c.n + excluded.n;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO article_counts AS c (verdict, source, shard, n)
                SELECT verdict, coalesce(source, ''), pg_backend_pid() % {COUNT_SHARDS}, count(*)
                FROM came GROUP BY 1, 2
                ON CONFLICT (verdict, source, shard) DO UPDATE SET n = c.n + excluded.n;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_counted_in AFTER INSERT ON articles
        REFERENCING NEW TABLE AS came FOR EACH STATEMENT
        EXECUTE FUNCTION newsflow_count_articles()
    """,
    """
    CREATE TRIGGER articles_counted_out AFTER DELETE ON articles
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
        EXECUTE FUNCTION newsflow_count_articles()
    """,
    """
    CREATE TRIGGER articles_counted_over AFTER UPDATE ON articles
        REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT
        EXECUTE FUNCTION newsflow_count_articles()
    """,
    """
    INSERT INTO article_counts (verdict, source, shard, n)
        SELECT verdict, coalesce(source, ''), 0, count(*) FROM articles GROUP BY 1, 2
    """,
)

# How often the planner believes a search's words occur decides how it answers the search
# (postgres/query.py). By default ANALYZE keeps the 1,000 most common lexemes (down to about 5%
# of the articles), and any other is guessed at 0.5%: at a million articles the words in 1% to
# 5% of them (tens of thousands of matches) all look like 5,000. 10,000 lexemes reach the words
# in under 1%, from a sample of 300,000 rows. The step gathers them at once (162 s at 300,000
# articles on a loaded machine; store processes starting meanwhile wait for it) rather than at
# the next automatic ANALYZE, which a large table may not see for days.
SEARCH_STATISTICS = 1_000
_SCHEMA_V4 = (
    f"ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS {SEARCH_STATISTICS}",
    "ANALYZE articles (search_vector)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, authors, claims, full-text search per language", _SCHEMA_V1),
    Migration(2, "totals per verdict and source, kept by triggers", _SCHEMA_V2),
    Migration(QUOTES_VERSION, "quotations, by speaker", QUOTES_SCHEMA),
    Migration(4, "more statistics of the search words, for the planner", _SCHEMA_V4),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
