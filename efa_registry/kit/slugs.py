"""Readable URL keys from German names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

from efa_registry.errors import InvalidInput
from efa_registry.types import SLUG_PATTERN

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str, *, max_length: int = 80) -> str:
    """``Wohngeld-Antrag Digital (NRW)`` → ``wohngeld-antrag-digital-nrw``; a name without Latin
    letters or digits (电子政务) gets a key of its own: ``eintrag-`` and a digest of the name."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].rstrip("-")
    return slug if len(slug) >= 2 else f"eintrag-{hashlib.sha256(text.encode()).hexdigest()[:10]}"


# Keys in URLs are a UUID in its canonical form (any case) or else a slug; nothing is both.
UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# The slug's form (types.Slug), matched whole: its "$" alone would also let a final newline pass.
SLUG_FORM = re.compile(SLUG_PATTERN)


def as_uuid(key: str) -> uuid.UUID | None:
    """``key`` as a UUID if it is one in the canonical 8-4-4-4-12 form, else None (a slug). Python's
    UUID() would also take braces, "urn:uuid:", 32 hex digits and full-width digits: aliases of one id."""
    return uuid.UUID(key) if UUID_FORM.fullmatch(key) else None


def check_slug(slug: str) -> None:
    """A slug that looks like a UUID would make its entity unreachable by it."""
    if UUID_FORM.fullmatch(slug):
        raise InvalidInput(f"slug: {slug!r} has the form of a UUID; choose a readable key", field="slug")
    if not SLUG_FORM.fullmatch(slug):
        raise InvalidInput(f"slug: {slug!r} is not lower-case letters and digits joined by hyphens", field="slug")
