"""Helpers every aggregate shares: SQL, paging cursors, merge patches, slugs, idempotency keys,
the wire base classes (commands, queries, records) and import summaries."""
