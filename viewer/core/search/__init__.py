"""Full-text search over a library: the SQLite FTS5 index, its refresh, and the query syntax."""
