"""API tests share the fixtures of tests/reference_fixtures.py (registered in tests/conftest.py)."""

from tests.reference_fixtures import Tokens  # noqa: F401  (re-exported for older imports)
