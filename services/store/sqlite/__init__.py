"""The store on SQLite: one file under ``NEWSFLOW_DATA_DIR``, FTS5 full-text search, one writer."""
