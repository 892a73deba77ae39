"""Demo content for ``efa-registry seed --demo`` (see README.md: demo data, not authoritative)."""
