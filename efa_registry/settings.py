"""Settings: one frozen Struct, read once from ``EFA_*`` environment variables.

Every field is documented with its variable and default; ``efa-registry settings`` prints them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Annotated, Literal, get_args, get_type_hints

import msgspec
import platformdirs
from msgspec import Meta


def _default_data_dir() -> str:
    return platformdirs.user_data_dir("efa-registry", appauthor=False)


class InvalidSettings(SystemExit):
    """A setting has a value it cannot take (the CLI exits with code 3)."""

    code = 3


def mask(name: str, value: object) -> str:
    """A setting's value for display: passwords in a DSN and secrets replaced by ****."""
    text = "" if value is None else str(value)
    if name == "database_url" and text:
        return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1****@", text)
    if any(word in name for word in ("secret", "password", "token", "key")) and text:
        return "****"
    return text


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Runtime configuration of the registry (API, worker and CLI alike)."""

    database_url: Annotated[
        str | None,
        Meta(description="EFA_DATABASE_URL — PostgreSQL DSN. Unset: start the embedded "
             "PostgreSQL (pgserver) in EFA_DATA_DIR."),
    ] = None
    data_dir: Annotated[
        str,
        Meta(description="EFA_DATA_DIR — where the embedded PostgreSQL keeps its data. "
             "Default: the per-user data dir (e.g. ~/.local/share/efa-registry)."),
    ] = msgspec.field(default_factory=_default_data_dir)
    host: Annotated[str, Meta(description="EFA_HOST — address `serve` binds to. Default 127.0.0.1.")] = "127.0.0.1"
    port: Annotated[int, Meta(ge=1, le=65535, description="EFA_PORT — port `serve` listens on. Default 8000.")] = 8000
    workers: Annotated[
        int,
        Meta(ge=1, le=64, description="EFA_WORKERS — API processes `serve` starts (they share sessions, "
             "caches and the database). Default: the number of CPU cores."),
    ] = msgspec.field(default_factory=lambda: os.cpu_count() or 1)
    log_format: Annotated[
        Literal["console", "json"],
        Meta(description="EFA_LOG_FORMAT — `console` (development, coloured) or `json` (production). Default console."),
    ] = "console"
    log_level: Annotated[
        Literal["debug", "info", "warning", "error"],
        Meta(description="EFA_LOG_LEVEL — lowest level logged. Default info."),
    ] = "info"
    pool_min_size: Annotated[
        int, Meta(ge=1, description="EFA_POOL_MIN_SIZE — database connections kept open. Default 2.")
    ] = 2
    pool_max_size: Annotated[
        int, Meta(ge=1, description="EFA_POOL_MAX_SIZE — most database connections per process for its use cases;"
                  " the catalogue search has a pool of its own of half as many (at least 2). Default 10.")
    ] = 10
    page_size_max: Annotated[
        int, Meta(ge=1, le=1000, description="EFA_PAGE_SIZE_MAX — upper bound of `limit` on collections. Default 200.")
    ] = 200
    webhook_worker: Annotated[
        bool,
        Meta(description="EFA_WEBHOOK_WORKER — run the webhook delivery worker inside the API process "
             "(serve, api.asgi). Default true; set false when `efa-registry worker` runs separately."),
    ] = True
    webhook_allow_private: Annotated[
        bool,
        Meta(description="EFA_WEBHOOK_ALLOW_PRIVATE — allow webhook targets in loopback/private ranges "
             "(SSRF guard off). Default false; only for tests and closed networks."),
    ] = False

    max_body_bytes: Annotated[
        int, Meta(ge=1024, description="EFA_MAX_BODY_BYTES — largest request body accepted; a larger one is "
                  "refused with 413 before it is read. Default 1048576 (1 MiB).")
    ] = 1_048_576
    body_timeout_seconds: Annotated[
        float, Meta(gt=0, le=600, description="EFA_BODY_TIMEOUT_SECONDS — how long a request body may take to "
                    "arrive in full; a slower or stalled one ends with 408 and frees the worker. Default 10.")
    ] = 10.0
    public_url: Annotated[
        str, Meta(pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$", max_length=500, description=(
            "EFA_PUBLIC_URL — the address people reach the registry at (`https://efa.example.de`), for the links "
            "in feeds and publiccode.yml. Default empty: the address of each request, whose Host header any "
            "client chooses; set it behind a shared cache."))
    ] = ""
    cors_origins: Annotated[
        str, Meta(description="EFA_CORS_ORIGINS — comma-separated origins (e.g. `https://portal.example.de`) "
                  "whose browser scripts may call the API; `*` for any. Default empty: no cross-origin access.")
    ] = ""

    # The operator's facts for the legal pages (/impressum, /datenschutz, /barrierefreiheit). Left
    # empty, those pages say plainly that the operator has not filled them in yet.
    operator_name: Annotated[
        str, Meta(max_length=200, description="EFA_OPERATOR_NAME — the public body that runs this registry, as the "
                  "Impressum and the Erklärung zur Barrierefreiheit name it. Default empty.")
    ] = ""
    operator_address: Annotated[
        str, Meta(max_length=500, description="EFA_OPERATOR_ADDRESS — its postal address, lines separated by `;` "
                  "(`Musterstraße 1; 12345 Musterstadt`). Default empty.")
    ] = ""
    operator_email: Annotated[
        str, Meta(max_length=200, description="EFA_OPERATOR_EMAIL — where people report accessibility barriers and "
                  "other feedback. Default empty.")
    ] = ""
    operator_phone: Annotated[
        str, Meta(max_length=60, description="EFA_OPERATOR_PHONE — the operator's telephone number. Default empty.")
    ] = ""
    impressum_url: Annotated[
        str, Meta(max_length=500, description="EFA_IMPRESSUM_URL — the operator's full Impressum (§ 5 DDG), linked "
                  "from /impressum and the footer. Default empty.")
    ] = ""
    datenschutz_url: Annotated[
        str, Meta(max_length=500, description="EFA_DATENSCHUTZ_URL — the operator's Datenschutzerklärung (Art. 13 "
                  "DSGVO), linked from /datenschutz and the footer. Default empty.")
    ] = ""
    schlichtungsstelle: Annotated[
        str, Meta(max_length=1000, description="EFA_SCHLICHTUNGSSTELLE — the conciliation body the Erklärung zur "
                  "Barrierefreiheit names, for an operator under a Land's law. Default empty: the federal "
                  "Schlichtungsstelle nach § 16 BGG.")
    ] = ""

    @property
    def operator_address_lines(self) -> list[str]:
        return [line.strip() for line in self.operator_address.split(";") if line.strip()]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``EFA_<FIELD>`` variables; ``overrides`` (command-line flags) win over them."""
        raw, _ = cls._raw(environ, overrides)
        try:
            return msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise InvalidSettings(f"invalid configuration: {exc} (see `efa-registry settings`)") from exc

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @classmethod
    def _raw(cls, environ: Mapping[str, str] | None, overrides: Mapping[str, object]
             ) -> tuple[dict[str, object], dict[str, str]]:
        environ = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        sources: dict[str, str] = {}
        for name in cls.__struct_fields__:
            value = environ.get(f"EFA_{name.upper()}")
            if value not in (None, ""):
                raw[name], sources[name] = value, "environment"
        for name, value in overrides.items():
            if value is not None:
                raw[name], sources[name] = value, "command line"
        return raw, sources

    @classmethod
    def explain(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> list[tuple[str, str, str]]:
        """(variable, value with secrets masked, where it came from) for every field."""
        settings = cls.from_env(environ, **overrides)
        _, sources = cls._raw(environ, overrides)
        return [(f"EFA_{name.upper()}", mask(name, getattr(settings, name)), sources.get(name, "default"))
                for name in cls.__struct_fields__]

    @classmethod
    def describe(cls) -> list[tuple[str, str]]:
        """(variable, description) for every field, for `efa-registry settings`."""
        hints = get_type_hints(cls, include_extras=True)
        rows = []
        for name in cls.__struct_fields__:
            metas = [m for m in get_args(hints[name])[1:] if isinstance(m, Meta)]
            rows.append((f"EFA_{name.upper()}", metas[0].description if metas else ""))
        return rows
