"""Bulk transfer: streamed exports of one snapshot, and backup/restore of the whole registry."""
