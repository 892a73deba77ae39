"""Reading publiccode.yml's YAML safely: no aliases, no key twice, bounded nesting and size, text
PostgreSQL can store, scalars typed by the schema rather than by their looks (``publiccode_mapping``
validates what comes out)."""

from __future__ import annotations

from typing import Any

import yaml

from efa_registry.errors import ImportFailed, InvalidInput
from efa_registry.solutions.publiccode import MAX_BYTES
from efa_registry.types import UNSTORABLE

BOOL_TAG, NULL_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
MAX_DEPTH = 64  # levels of nesting: publiccode.yml needs five


class _NoAliases(yaml.SafeLoader):
    """Anchors and aliases have no use in publiccode.yml, and they allow "billion laughs" documents.

    Scalars are read the way the standard's reference parser reads them: by the type the schema
    gives the key, not by how they look. YAML 1.1 would make ``publiccodeYmlVersion: 0.4`` a float,
    a phone number an integer and ``releaseDate`` a date; here every plain scalar is text except
    ``true``/``false`` and null, and ``convert`` turns text into a number where the schema wants one.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag in (BOOL_TAG, NULL_TAG)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed", event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1  # the composer recurses: a deep document would crash it
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        # YAML forbids a key twice in one mapping; PyYAML would keep the last value without a word.
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | bool | None):
                continue  # a list or mapping as key: PyYAML refuses it below (unhashable)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"the key {key!r} appears twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_bool(self, node: Any) -> Any:
        # YAML 1.2: only true/false are booleans; yes/no/on/off stay text (a country code NO stays NO).
        value = self.construct_scalar(node)
        return value.lower() == "true" if value.lower() in ("true", "false") else value


_NoAliases.add_constructor(BOOL_TAG, _NoAliases.construct_yaml_bool)


def load(data: bytes) -> dict[str, Any]:
    """The document's top-level mapping; ``ImportFailed`` names the line of a YAML problem,
    ``InvalidInput`` the key of a value that cannot be kept."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"publiccode.yml is larger than {MAX_BYTES:,} bytes", field=None)
    try:
        raw = yaml.load(data.decode("utf-8"), Loader=_NoAliases)  # a SafeLoader
    except UnicodeDecodeError as exc:
        raise InvalidInput("publiccode.yml must be UTF-8", field=None) from exc
    except RecursionError as exc:  # nesting within a scalar's flow PyYAML's composer does not count
        raise ImportFailed("publiccode.yml is not valid YAML", [(0, "nested too deeply")]) from exc
    except yaml.YAMLError as exc:  # where the construct began (context), then where parsing failed (problem)
        marks = [(getattr(exc, f"{k}_mark", None), getattr(exc, k, None)) for k in ("context", "problem")]
        errors = [(mark.line + 1, str(text)) for mark, text in marks if mark is not None and text]
        raise ImportFailed("publiccode.yml is not valid YAML", errors or [(0, str(exc))]) from exc
    if not isinstance(raw, dict):
        raise InvalidInput("publiccode.yml must be a mapping of keys at the top level", field=None)
    if (where := _unstorable(raw)) is not None:
        raise InvalidInput(f"{where}: contains a NUL character or a lone surrogate", field=where)
    return raw


def _unstorable(value: Any, path: str = "") -> str | None:
    """The key path of the first text PostgreSQL cannot store: a NUL character or a lone surrogate
    (YAML's escapes "\\0" and "\\ud800" make them)."""
    if isinstance(value, str):
        return (path or "publiccode.yml") if UNSTORABLE.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        sub = f"{path}[{key}]" if isinstance(value, list) else f"{path}.{key}".strip(".")
        if (found := _unstorable(key, sub) if isinstance(key, str) else None) or (found := _unstorable(item, sub)):
            return found
    return None
