"""The event log: audit trail, entity history and change feed."""
