"""The HTTP face of the registry (Litestar). Imports efa_registry, never the reverse."""
