"""The store on PostgreSQL (asyncpg): one database shared by any number of store processes and
gateways, full-text search with the language's stemming, a live stream that never skips."""
