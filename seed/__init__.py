"""Reference facts and demo content loaded by ``efa-registry seed`` (package data)."""
