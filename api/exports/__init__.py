"""Bulk exports of the registry (NDJSON, CSV), streamed from one snapshot."""
