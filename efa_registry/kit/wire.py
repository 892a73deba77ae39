"""Base of the core's command Structs (create and patch payloads).

Commands arrive over HTTP and from files (publiccode.yml, CSV), so they are decoded straight
from the wire: camelCase names, unknown fields refused, single-field limits in the types.
"""

import msgspec


class Command(msgspec.Struct, frozen=True, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """A validated request to change the registry."""
