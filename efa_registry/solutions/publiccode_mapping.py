"""Reading a publiccode.yml: validation (a problem names the offending key path) and the mapping of
a valid document to solution fields. The conventions are described in ``publiccode``."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from efa_registry.errors import InvalidInput
from efa_registry.organisations.model import EMAIL_PATTERN
from efa_registry.solutions.publiccode import (
    DEFAULT_CATEGORY,
    DEVELOPMENT_TO_STATUS,
    EXTENSION,
    FEATURE,
    PAD_MARK,
    UNSPECIFIED_LICENCE,
)
from efa_registry.solutions.publiccode_yaml import load
from efa_registry.types import LANGUAGE_PATTERN

# --------------------------------------------------------------------------- validation

VERSIONS = ("0.2", "0.3", "0.4")
# Older files wrote booleans the YAML 1.1 way; where the schema wants a boolean they still mean one.
YAML11_BOOLS = {w: v for words, v in (("yes Yes YES on On ON", True), ("no No NO off Off OFF", False))
                for w in words.split()}  # the standard's versions this reader knows (0.2.x … 0.4.x)

# The standard's shortDescription has at most 150 characters; a longer one is read (with a
# warning) up to what the registry's summary keeps, and shortened again on export.
SHORT_DESCRIPTION_MAX = 150
ShortText = Annotated[str, Meta(min_length=1, max_length=1000)]
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
EMAIL = re.compile(EMAIL_PATTERN)  # what the registry stores as a contact's address
Url = Annotated[str, Meta(pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")]


class Description(msgspec.Struct, kw_only=True, rename="camel"):
    short_description: ShortText
    long_description: Annotated[str, Meta(max_length=10_000)] | None = None
    localised_name: str | None = None
    documentation: Url | None = None
    features: list[str] | None = None


class Contact(msgspec.Struct, kw_only=True):
    name: str
    email: str | None = None
    phone: str | None = None
    affiliation: str | None = None


class Maintenance(msgspec.Struct, kw_only=True):
    type: Annotated[str, Meta(min_length=1)]  # one of MAINTENANCE_TYPES; another is read with a warning
    contacts: list[Contact] = []
    contractors: list[dict[str, Any]] = []


class LeikaItem(msgspec.Struct, kw_only=True, rename={"ozg_id": "ozg-id", "leika_id": "leika-id"}):
    themenfeld: str | None = None
    lebenslage: str | None = None
    ozg_id: Annotated[str, Meta(pattern=r"^[0-9]{1,6}$")] | None = None
    leika_id: Annotated[str, Meta(pattern=r"^[0-9]{14}$")] | None = None


class Germany(msgspec.Struct, kw_only=True, rename="camel"):
    country_extension_version: str | None = None
    leika: list[LeikaItem] = []


class Registry(msgspec.Struct, kw_only=True, rename="camel"):
    """``x-efa-registry``: what only this registry knows; every key optional."""

    slug: str | msgspec.UnsetType = msgspec.UNSET
    summary: str | msgspec.UnsetType | None = msgspec.UNSET
    tags: list[str] | msgspec.UnsetType = msgspec.UNSET
    reuse_route: str | msgspec.UnsetType | None = msgspec.UNSET
    efa_compliant: bool | msgspec.UnsetType | None = msgspec.UNSET
    reifegrad_model: str | msgspec.UnsetType | None = msgspec.UNSET
    reifegrad: int | msgspec.UnsetType | None = msgspec.UNSET
    rollout_level: str | msgspec.UnsetType = msgspec.UNSET
    costs_note: str | msgspec.UnsetType | None = msgspec.UNSET


class Document(msgspec.Struct, kw_only=True, rename="camel"):
    """The keys of publiccode.yml the standard makes mandatory, typed; the rest is checked per part."""

    publiccode_yml_version: Annotated[str, Meta(pattern=r"^0(\.[0-9]+)*$")]
    name: Annotated[str, Meta(min_length=1)]
    url: Url
    platforms: list[str] | str
    development_status: Literal["concept", "development", "beta", "stable", "obsolete"]
    software_type: str
    description: dict[str, dict[str, Any]]
    legal: dict[str, Any]
    maintenance: Maintenance
    localisation: dict[str, Any]
    categories: list[str] = []


class Parsed(msgspec.Struct, kw_only=True):
    raw: dict[str, Any]
    document: Document
    lang: str
    text: Description
    licence: str
    germany: Germany | None
    registry: Registry | None
    warnings: list[str] = []  # what was read leniently or left for a curator (the import still succeeds)


def convert(value: Any, type_: Any, prefix: str) -> Any:
    """``value`` as ``type_``; an ``InvalidInput`` names the key path below ``prefix``."""
    try:
        return msgspec.convert(value, type_, strict=False)  # text → number/boolean where the schema says so
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).partition(" - at `$")
        path = prefix + where.rstrip("`")
        missing = re.match(r"Object missing required field `([^`]+)`", message)
        if missing:
            path = f"{path}.{missing.group(1)}"
        path = path.strip(".")
        raise InvalidInput(f"{path}: {message}" if path else message, field=path or None) from exc


def parse(data: bytes) -> Parsed:
    """Decode and validate a publiccode.yml; a problem names the offending key path."""
    raw = load(data)
    document = convert(raw, Document, "")
    if not document.description:
        raise InvalidInput("description: at least one language is required", field="description")
    lang = _language(document.description)
    text = convert(document.description[lang], Description, f"description.{lang}")
    warnings = _leniencies(document, lang, text)
    checks = (("legal", "license", Annotated[str, Meta(min_length=1)]), ("localisation", "localisationReady", bool),
              ("localisation", "availableLanguages", list[str]))
    for section, key, type_ in checks:
        if key not in getattr(document, section):
            raise InvalidInput(f"{section}.{key} is required", field=f"{section}.{key}")
        value = getattr(document, section)[key]
        convert(YAML11_BOOLS.get(value, value) if type_ is bool and isinstance(value, str) else value, type_,
                f"{section}.{key}")
    country = raw.get("de", raw.get("DE"))
    germany = convert(country, Germany, "de") if country is not None else None
    ext = convert(raw[EXTENSION], Registry, EXTENSION) if raw.get(EXTENSION) is not None else None
    return Parsed(raw=raw, document=document, lang=lang, text=text, licence=document.legal["license"],
                  germany=germany, registry=ext, warnings=warnings)


# An SPDX licence expression ("EUPL-1.2", "MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
# not prose ("proprietär – alle Rechte vorbehalten", "Proprietary"): SPDX has no id for a proprietary
# licence but LicenseRef-…, and its ids carry a version number but for a few.
SPDX_ID = re.compile(r"^(?=[A-Za-z0-9.+-]*[0-9])[A-Za-z0-9.+-]+$|^(MIT|ISC|Zlib|Unlicense|WTFPL|PostgreSQL|NCSA)$")


def open_licence(licence: str) -> bool:
    """Is ``licence`` an SPDX expression of published licences (no ``LicenseRef-``)?"""
    words = licence.replace("(", " ").replace(")", " ").split()
    return len(words) % 2 == 1 and all(SPDX_ID.match(w) and not w.startswith("LicenseRef-") if n % 2 == 0
                               else w in ("AND", "OR", "WITH") for n, w in enumerate(words))


def _leniencies(document: Document, lang: str, text: Description) -> list[str]:
    """What the standard wants but the registry can do without: warnings, not errors."""
    warnings = []
    if not document.publiccode_yml_version.startswith(VERSIONS):
        warnings.append(f"publiccodeYmlVersion: {document.publiccode_yml_version} is not one of "
                        f"{', '.join(VERSIONS)}; read as 0.4")
    if language_of(lang) != "de":
        warnings.append(f"description: no German text; the registry took description.{lang}")
    if len(text.short_description) > SHORT_DESCRIPTION_MAX:
        warnings.append(f"description.{lang}.shortDescription: longer than the standard's {SHORT_DESCRIPTION_MAX}"
                        " characters; kept whole, shortened on export")
    if text.documentation and not text.documentation.startswith("https://"):
        warnings.append(f"description.{lang}.documentation: not an https:// address; left out")
    if not document.url.startswith("https://") and not OWN_API_URL.search(document.url):
        warnings.append("url: not an https:// address; left out (an update keeps the stored repository)")
    if document.maintenance.type not in MAINTENANCE_TYPES:
        warnings.append(f"maintenance.type: {document.maintenance.type!r} is not one of {', '.join(MAINTENANCE_TYPES)}"
                        " (the registry does not keep it)")
    contacts = document.maintenance.contacts
    if contacts and contacts[0].email and not EMAIL.match(contacts[0].email):
        warnings.append("maintenance.contacts[0].email: not an e-mail address; left out")
    if text.long_description is None:
        warnings.append(f"description.{lang}.longDescription: missing; the short description stands in")
    elif len(text.long_description) < 150:
        warnings.append(f"description.{lang}.longDescription: shorter than the standard's 150 characters")
    if not text.features:
        warnings.append(f"description.{lang}.features: missing")
    licence = document.legal.get("license")
    if isinstance(licence, str) and licence != UNSPECIFIED_LICENCE and not licence.startswith("LicenseRef-") \
            and not open_licence(licence):
        warnings.append("legal.license: not an SPDX licence expression; kept as written, the reuse route is left "
                        "for a curator")
    return warnings


# ISO 639-2 codes, which publiccode.yml 0.2 used (``ita``, ``eng``), by their ISO 639-1 equivalents.
_LANGUAGE_CODES = {"deu": "de", "ger": "de", "eng": "en"}
LANGUAGE_FORM = re.compile(LANGUAGE_PATTERN.strip("^$"))


def language_of(key: str) -> str:
    """The ISO 639 language of a description key: ``de``, ``de-DE``, ``de_AT``, ``deu`` and ``ger``
    are ``de``; ``und`` (undetermined) for a key that names none."""
    base = str(key).lower().replace("_", "-").split("-")[0]
    return code if LANGUAGE_FORM.fullmatch(code := _LANGUAGE_CODES.get(base, base)) else "und"


def _language(descriptions: dict[str, Any]) -> str:
    """The description to take: German (``de``, ``de-DE``, ``deu`` …; plain ``de`` first), then
    English (``en``, ``en-GB``, ``eng``), then the first."""
    keys = sorted(descriptions, key=lambda k: str(k).lower() != language_of(k))  # the plain code first
    return next((k for lang in ("de", "en") for k in keys if language_of(k) == lang), next(iter(descriptions)))


# --------------------------------------------------------------------------- mapping

OWN_API_URL = re.compile(r"/v1/solutions/[a-z0-9-]+$")
REGISTRY_FIELDS = ("reuse_route", "efa_compliant", "reifegrad_model", "reifegrad", "rollout_level", "costs_note")
UNDERSTOOD = (
    "publiccodeYmlVersion", "name", "platforms", "categories", "developmentStatus", "softwareType",
    "description.{lang}.localisedName", "description.{lang}.shortDescription", "description.{lang}.longDescription",
    "description.{lang}.documentation", "legal.license", "legal.mainCopyrightOwner", "legal.repoOwner",
    "maintenance.type", "localisation.localisationReady", "localisation.availableLanguages",
    "de.countryExtensionVersion", "de.leika.*.*", "DE.countryExtensionVersion", "DE.leika.*.*",
    *(f"{EXTENSION}.{key}" for key in Registry.__struct_encode_fields__),
)


def _contact(parsed: Parsed) -> tuple[dict[str, Any], list[str]]:
    """The person to contact (not an organisation standing in for one) and the keys that gave it."""
    contacts = parsed.document.maintenance.contacts
    if not contacts:
        return {}, []
    first, values = contacts[0], {}
    if first.name != first.affiliation:
        values["contact_name"] = first.name
    if first.email and EMAIL.match(first.email):
        values["contact_email"] = first.email
    return values, ["maintenance.contacts.0.name", "maintenance.contacts.0.email", "maintenance.contacts.0.affiliation"]


def map_document(parsed: Parsed) -> tuple[dict[str, Any], list[str], list[str]]:
    """(solution fields, keys understood, feature OZG-IDs) of a validated document."""
    doc, text, ext = parsed.document, parsed.text, parsed.registry or Registry()
    long = text.long_description or text.short_description
    description = long.split("\n\n" + PAD_MARK)[0] if not long.startswith(PAD_MARK) else ""
    licence = None if parsed.licence == UNSPECIFIED_LICENCE else parsed.licence
    own_url = OWN_API_URL.search(doc.url) is not None
    values: dict[str, Any] = {
        "name": doc.name.strip(),
        "summary": text.short_description.strip() if ext.summary is msgspec.UNSET else ext.summary,
        "description": description.strip() or None, "status": DEVELOPMENT_TO_STATUS[doc.development_status],
        "licence": licence,
        "documentation_url": text.documentation,
        "source_repository": None if own_url else doc.url,
        "tags": ext.tags if ext.tags is not msgspec.UNSET else [c for c in doc.categories if c != DEFAULT_CATEGORY],
        "slug": ext.slug if ext.slug is not msgspec.UNSET else None,
        "language": language_of(parsed.lang),
    }
    for key in ("documentation_url", "source_repository"):  # not https: no address, nor a reason to drop one
        if values[key] is not None and not values[key].startswith("https://"):
            del values[key]
    if licence and open_licence(licence):
        values["reuse_route"] = "open_source"  # an open-source licence is the reuse route
    values.update({f: getattr(ext, f) for f in REGISTRY_FIELDS if getattr(ext, f) is not msgspec.UNSET})
    contact, understood = _contact(parsed)
    values.update(contact)
    if values.get("source_repository") or own_url:
        understood.append("url")
    features = text.features or []
    feature_ozg = [m.group(1) for f in features if (m := FEATURE.match(f))]
    if all(FEATURE.match(f) or f == doc.name for f in features):
        understood.append(f"description.{parsed.lang}.features")
    return values, understood, feature_ozg


def unmapped_fields(raw: dict[str, Any], lang: str, understood: list[str]) -> list[str]:
    """The document's keys whose values the registry does not keep, e.g. ``logo`` or ``description.en``."""
    patterns = [p.format(lang=lang).split(".") for p in UNDERSTOOD] + [p.split(".") for p in understood]

    def leaves(value: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        if isinstance(value, dict) and value:
            return [leaf for k, v in value.items() for leaf in leaves(v, (*path, str(k)))]
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return [leaf for i, v in enumerate(value) for leaf in leaves(v, (*path, str(i)))]
        return [path]

    def known(path: tuple[str, ...]) -> bool:
        return any(len(p) == len(path) and all(a in ("*", b) for a, b in zip(p, path, strict=True)) for p in patterns)

    rendered = [".".join(path) for path in leaves(raw, ()) if not known(path)]
    return sorted(re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", p) for p in rendered)
