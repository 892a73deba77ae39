"""Helpers every aggregate shares: SQL, paging cursors, merge patches, slugs, idempotency keys,
command Structs and import summaries."""
