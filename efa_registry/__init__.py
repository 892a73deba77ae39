"""efa-registry: the EfA (Einer für Alle) reuse registry — domain core (no HTTP here)."""

__version__ = "0.1.0"
