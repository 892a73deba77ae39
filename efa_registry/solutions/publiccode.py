"""publiccode.yml (standard 0.4, as used by OpenCoDE and Developers Italia) for solutions, both ways.

Where a registry field has no key in the standard:

* OZG-IDs and LeiKa keys go into the German country section ``de`` as documented in the standard's
  German edition (``countryExtensionVersion``, ``leika: [{themenfeld, ozg-id, leika-id}]``); an
  OZG-Leistung without a LeiKa key gets an item without ``leika-id``. They are also listed as
  ``features`` (``OZG-Leistung 10000: Elterngeld``), which strict parsers keep.
* Registry-only facts (slug, free tags, EfA conformance, Reifegrad, reuse route, rollout level,
  costs, a summary longer than 150 characters) go into ``x-efa-registry``.
  ``publiccode-parser-go`` refuses unknown top-level keys, so ``extensions=False`` leaves out
  ``de`` and ``x-efa-registry`` for strict consumers.
* ``longDescription`` needs 150+ characters: a shorter description is followed by a marked
  paragraph about the registry entry, which the import removes again.
* ``maintenance.contacts`` must name people, and people's contact details are for authenticated
  callers only: anonymous callers get the providing organisation as the contact (no person);
  the import takes no person from a contact whose name equals its affiliation.
* A solution without a licence states ``LicenseRef-unspecified``; without a source repository
  its ``url`` is the solution's URL in this API.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import asyncpg
import msgspec
import yaml
from msgspec import Meta

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize
from efa_registry.errors import AlreadyExists, ImportFailed, InvalidInput, InvalidReference
from efa_registry.slugs import slugify
from efa_registry.solutions import repository, service
from efa_registry.solutions.model import Solution, SolutionCreate, SolutionPatch

VERSION = "0.4"
EXTENSION = "x-efa-registry"
UNSPECIFIED_LICENCE = "LicenseRef-unspecified"
DEFAULT_CATEGORY = "digital-citizenship"
MAX_BYTES = 1_000_000
STATUS_TO_DEVELOPMENT = {"planned": "concept", "in_development": "development", "pilot": "beta",
                         "available": "stable", "retired": "obsolete"}
DEVELOPMENT_TO_STATUS = {v: k for k, v in STATUS_TO_DEVELOPMENT.items()}
# The standard's controlled vocabulary (categories-list); other tags travel in x-efa-registry only.
CATEGORIES = frozenset("""
accounting agile-project-management applicant-tracking application-development appointment-scheduling backup
billing-and-invoicing blog budgeting business-intelligence business-process-management cad call-center-management
cloud-management collaboration communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization design design-system
digital-asset-management digital-citizenship document-management donor-management e-commerce e-signature
educational-content email-management email-marketing employee-management enterprise-project-management
enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
financial-reporting fleet-management fundraising gamification geographic-information-systems grant-management
graphic-design help-desk hr ide identity-management instant-messaging inventory-management it-asset-management
it-development it-management it-security it-service-management knowledge-management learning-management-system
marketing mind-mapping mobile-marketing mobile-payment network-management office online-booking online-community
payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration project-management
property-management real-estate-management remote-support resource-management sales-management seo service-desk
social-media-management survey talent-management task-management taxes-management test-management time-management
time-tracking translation video-conferencing video-editing visitor-management voip warehouse-management
web-collaboration web-conferencing website-builder whistleblowing workflow-management""".split())  # noqa: SIM905
PAD_MARK = "_Eintrag im EfA-Nachnutzungsregister:"
FEATURE = re.compile(r"^OZG-Leistung ([0-9]{1,6}): ")


# --------------------------------------------------------------------------- export


def _pad(solution: Solution, api_url: str) -> str:
    return (f"{PAD_MARK} {solution.name}, bereitgestellt von {solution.provider.name}. Der Onlinedienst folgt dem "
            f"Prinzip „Einer für Alle“: einmal entwickelt, von anderen Ländern und Kommunen nachnutzbar. "
            f"Details: {api_url}_")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _maintenance(solution: Solution, with_contact: bool) -> dict[str, Any]:
    if solution.status == "retired":
        return {"type": "none"}
    owner = solution.provider.name
    contact: dict[str, Any] = {"name": owner, "affiliation": owner}  # an organisation, no person's details
    if with_contact and (solution.contact_name or solution.contact_email):
        contact = {"name": solution.contact_name or owner, "email": solution.contact_email, "affiliation": owner}
    return {"type": "internal", "contacts": [{k: v for k, v in contact.items() if v}]}


def to_document(solution: Solution, *, leika: list[dict[str, str]], api_url: str, with_contact: bool,
                extensions: bool = True) -> dict[str, Any]:
    """The publiccode.yml mapping of ``solution``; ``leika`` lists its ``de.leika`` items."""
    description = solution.description or ""
    long = _shorten(description, 10_000) if len(description) >= 150 else \
        "\n\n".join(p for p in (description, _pad(solution, api_url)) if p)
    summary = solution.summary or f"Onlinedienst {solution.name}"
    german = {"localisedName": solution.name, "shortDescription": _shorten(summary.replace("\n", " "), 150),
              "longDescription": long, "documentation": solution.documentation_url,
              "features": [f"OZG-Leistung {o.ozg_id}: {o.name}" for o in solution.ozg_leistungen] or [solution.name]}
    document = {
        "publiccodeYmlVersion": VERSION, "name": solution.name, "url": solution.source_repository or api_url,
        "platforms": ["web"],
        "categories": [DEFAULT_CATEGORY, *(t for t in solution.tags if t in CATEGORIES and t != DEFAULT_CATEGORY)],
        "developmentStatus": STATUS_TO_DEVELOPMENT[solution.status], "softwareType": "standalone/web",
        "description": {"de": {k: v for k, v in german.items() if v is not None}},
        "legal": {"license": solution.licence or UNSPECIFIED_LICENCE, "mainCopyrightOwner": solution.provider.name,
                  "repoOwner": solution.provider.name},
        "maintenance": _maintenance(solution, with_contact),
        "localisation": {"localisationReady": False, "availableLanguages": ["de"]},
    }
    if extensions:
        document["de"] = {"countryExtensionVersion": "1.0", "leika": leika}
        document[EXTENSION] = {
            "slug": solution.slug, "tags": solution.tags, "reuseRoute": solution.reuse_route,
            "efaCompliant": solution.efa_compliant, "reifegradModel": solution.reifegrad_model,
            "reifegrad": solution.reifegrad, "rolloutLevel": solution.rollout_level, "costsNote": solution.costs_note,
        }
        if solution.summary != german["shortDescription"]:  # absent or shortened: keep the original
            document[EXTENSION]["summary"] = solution.summary
    return document


def dump(document: dict[str, Any]) -> str:
    return "# publiccode.yml — https://yml.publiccode.tools\n" + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


# --------------------------------------------------------------------------- validation

ShortText = Annotated[str, Meta(min_length=1, max_length=150)]
Url = Annotated[str, Meta(pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")]


class Description(msgspec.Struct, kw_only=True, rename="camel"):
    short_description: ShortText
    long_description: Annotated[str, Meta(min_length=150, max_length=10_000)] | None = None
    localised_name: str | None = None
    documentation: Url | None = None
    features: list[str] | None = None


class Contact(msgspec.Struct, kw_only=True):
    name: str
    email: str | None = None
    phone: str | None = None
    affiliation: str | None = None


class Maintenance(msgspec.Struct, kw_only=True):
    type: Literal["internal", "contract", "community", "none"]
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


class _NoAliases(yaml.SafeLoader):
    """Anchors and aliases have no use in publiccode.yml, and they allow "billion laughs" documents."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def _convert(value: Any, type_: Any, prefix: str) -> Any:
    try:
        return msgspec.convert(value, type_)
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
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"publiccode.yml is larger than {MAX_BYTES:,} bytes", field=None)
    try:
        raw = yaml.load(data.decode("utf-8"), Loader=_NoAliases)  # a SafeLoader
    except UnicodeDecodeError as exc:
        raise InvalidInput("publiccode.yml must be UTF-8", field=None) from exc
    except yaml.YAMLError as exc:  # where the construct began (context), then where parsing failed (problem)
        marks = [(getattr(exc, f"{k}_mark", None), getattr(exc, k, None)) for k in ("context", "problem")]
        errors = [(mark.line + 1, str(text)) for mark, text in marks if mark is not None and text]
        raise ImportFailed("publiccode.yml is not valid YAML", errors or [(0, str(exc))]) from exc
    if not isinstance(raw, dict):
        raise InvalidInput("publiccode.yml must be a mapping of keys at the top level", field=None)
    document = _convert(raw, Document, "")
    if not document.description:
        raise InvalidInput("description: at least one language is required", field="description")
    lang = "de" if "de" in document.description else next(iter(document.description))
    text = _convert(document.description[lang], Description, f"description.{lang}")
    if text.long_description is None or not text.features:
        key = "longDescription" if text.long_description is None else "features"
        raise InvalidInput(f"description.{lang}.{key} is required", field=f"description.{lang}.{key}")
    checks = (("legal", "license", Annotated[str, Meta(min_length=1)]), ("localisation", "localisationReady", bool),
              ("localisation", "availableLanguages", list[str]))
    for section, key, type_ in checks:
        if key not in getattr(document, section):
            raise InvalidInput(f"{section}.{key} is required", field=f"{section}.{key}")
        _convert(getattr(document, section)[key], type_, f"{section}.{key}")
    country = raw.get("de", raw.get("DE"))
    germany = _convert(country, Germany, "de") if country is not None else None
    ext = _convert(raw[EXTENSION], Registry, EXTENSION) if raw.get(EXTENSION) is not None else None
    return Parsed(raw=raw, document=document, lang=lang, text=text, licence=document.legal["license"],
                  germany=germany, registry=ext)


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
    if first.email:
        values["contact_email"] = first.email
    return values, ["maintenance.contacts.0.name", "maintenance.contacts.0.email", "maintenance.contacts.0.affiliation"]


def map_document(parsed: Parsed) -> tuple[dict[str, Any], list[str], list[str]]:
    """(solution fields, keys understood, feature OZG-IDs) of a validated document."""
    doc, text, ext = parsed.document, parsed.text, parsed.registry or Registry()
    long = text.long_description or ""
    description = long.split("\n\n" + PAD_MARK)[0] if not long.startswith(PAD_MARK) else ""
    licence = None if parsed.licence == UNSPECIFIED_LICENCE else parsed.licence
    own_url = OWN_API_URL.search(doc.url) is not None
    values: dict[str, Any] = {
        "name": doc.name, "summary": text.short_description if ext.summary is msgspec.UNSET else ext.summary,
        "description": description or None, "status": DEVELOPMENT_TO_STATUS[doc.development_status],
        "licence": licence, "documentation_url": text.documentation,
        "source_repository": doc.url if doc.url.startswith("https://") and not own_url else None,
        "tags": ext.tags if ext.tags is not msgspec.UNSET else [c for c in doc.categories if c != DEFAULT_CATEGORY],
        "slug": ext.slug if ext.slug is not msgspec.UNSET else None,
    }
    if licence and not licence.startswith("LicenseRef-"):
        values["reuse_route"] = "open_source"  # an open-source licence is the reuse route
    values.update({f: getattr(ext, f) for f in REGISTRY_FIELDS if getattr(ext, f) is not msgspec.UNSET})
    contact, understood = _contact(parsed)
    values.update(contact)
    if values["source_repository"] or own_url:
        understood.append("url")
    features = text.features or []
    feature_ozg = [m.group(1) for f in features if (m := FEATURE.match(f))]
    if all(FEATURE.match(f) or f == doc.name for f in features):
        understood.append(f"description.{parsed.lang}.features")
    return values, understood, feature_ozg


def unmapped_fields(raw: dict[str, Any], lang: str, understood: list[str]) -> list[str]:
    """The document's keys whose values the registry does not keep, e.g. ``logo`` or ``description.en``."""
    patterns = [p.format(lang=lang).split(".") for p in (*UNDERSTOOD, *understood)]

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


# --------------------------------------------------------------------------- use cases


async def export_publiccode(key: str, *, base_url: str, with_contact: bool, extensions: bool = True
                            ) -> tuple[Solution, str]:
    """(solution, publiccode.yml text); ``base_url`` is where this API is served (for ``url``)."""
    solution = await service.get_solution(key)
    async with db.connection() as conn:
        rows = await conn.fetch(
            "SELECT o.ozg_id, t.name AS themenfeld, l.leika_key FROM ozg_leistung o JOIN themenfeld t"
            " ON t.key = o.themenfeld LEFT JOIN leika_entry l ON l.ozg_leistung = o.ozg_id"
            " WHERE o.ozg_id = ANY($1::text[]) ORDER BY o.ozg_id::int, l.leika_key",
            [o.ozg_id for o in solution.ozg_leistungen])
    leika = [{"themenfeld": r["themenfeld"], "ozg-id": r["ozg_id"], **({"leika-id": r["leika_key"]}
              if r["leika_key"] else {})} for r in rows]
    api_url = f"{base_url.rstrip('/')}/v1/solutions/{solution.slug}"
    document = to_document(solution, leika=leika, api_url=api_url, with_contact=with_contact, extensions=extensions)
    return solution, dump(document)


class PubliccodeImportResult(msgspec.Struct, frozen=True, kw_only=True):
    solution: Solution
    created: bool
    unmapped_fields: list[str]


def _paths(parsed: Parsed) -> dict[str, str]:
    """Command field (as errors name it) → the key of the document it came from."""
    text = f"description.{parsed.lang}"
    return {"name": "name", "summary": f"{text}.shortDescription", "description": f"{text}.longDescription",
            "status": "developmentStatus", "licence": "legal.license", "sourceRepository": "url",
            "documentationUrl": f"{text}.documentation", "provider": "provider",
            "ozgIds": "de.leika",
            "contactName": "maintenance.contacts[0].name", "contactEmail": "maintenance.contacts[0].email",
            **{k: f"{EXTENSION}.{k}" for k in ("slug", "tags", "reuseRoute", "efaCompliant", "reifegradModel",
                                                "reifegrad", "rolloutLevel", "costsNote")}}


async def _ozg_ids(conn: asyncpg.Connection, parsed: Parsed, from_features: list[str]
                   ) -> tuple[list[str] | None, list[str]]:
    """OZG-IDs named in ``de.leika`` (directly or by LeiKa key), else in the features; and unknown LeiKa keys."""
    if parsed.germany is None:  # features name them by convention only: unknown ones are left out, reported
        missing = await repository.missing_ozg_ids(conn, from_features)
        known = sorted(set(from_features) - set(missing), key=int)
        return known or None, [f"description.{parsed.lang}.features"] if missing else []
    ids, unknown = [], []
    leika = {r[0]: r[1] for r in await conn.fetch(
        "SELECT leika_key, ozg_leistung FROM leika_entry WHERE leika_key = ANY($1::text[])",
        [i.leika_id for i in parsed.germany.leika if i.leika_id])}
    for n, item in enumerate(parsed.germany.leika):
        if item.ozg_id or leika.get(item.leika_id):
            ids.append(item.ozg_id or leika[item.leika_id])
        else:
            unknown.append(f"de.leika[{n}].leika-id")
    missing = await repository.missing_ozg_ids(conn, ids)
    if missing:
        n = next(n for n, i in enumerate(parsed.germany.leika) if i.ozg_id == missing[0])
        raise InvalidReference(f"unknown OZG-ID {missing[0]}", field=f"de.leika[{n}].ozg-id")
    return list(dict.fromkeys(ids)), unknown


async def _existing(conn: asyncpg.Connection, values: dict[str, Any], provider_id: Any) -> asyncpg.Record | None:
    """The solution this document describes: same source repository, else same slug and provider."""
    if values["source_repository"]:
        row = await conn.fetchrow("SELECT id, version, provider FROM solution WHERE source_repository = $1"
                                  " ORDER BY created_at LIMIT 1", values["source_repository"])
        if row:
            return row
    row = await conn.fetchrow("SELECT id, version, provider FROM solution WHERE slug = $1", values["slug"])
    if row and row["provider"] != provider_id:
        raise AlreadyExists(f"another provider's solution has the slug {values['slug']}", field="name")
    return row


async def import_publiccode(
    data: bytes, *, provider: str, actor: Actor | None, update_existing: bool = True,
    expected_version: int | None = None, require_version: bool = False,
) -> PubliccodeImportResult:
    """Create or update the solution a publiccode.yml describes, provided by ``provider`` (UUID or slug).

    Nothing is written when the document is invalid (the error names the key). An existing solution
    is updated; with ``require_version`` only at ``expected_version`` (If-Match), else at its current one.
    """
    async with db.connection() as conn:
        provider_id = await repository.organisation_id(conn, provider)
    if provider_id is None:
        raise InvalidReference(f"no organisation {provider}", field="provider")
    authorize(actor, "solution.create", organisation_id=provider_id)  # before reading: no oracle for strangers
    parsed = parse(data)
    values, understood, from_features = map_document(parsed)
    values.update(provider=provider, slug=values["slug"] or slugify(parsed.document.name))
    async with db.connection() as conn:
        ozg_ids, unknown = await _ozg_ids(conn, parsed, from_features)
        existing = await _existing(conn, values, provider_id)
    if ozg_ids is not None:
        values["ozg_ids"] = ozg_ids
    if existing is not None:
        if not update_existing:
            raise AlreadyExists(f"solution {values['slug']} exists", field="name")
        if parsed.registry is None or parsed.registry.slug is msgspec.UNSET:
            del values["slug"]  # an updated solution keeps its URL unless the document names the slug
        if not require_version and expected_version is None:
            expected_version = existing["version"]
    solution = await _save(parsed, values, existing["id"] if existing else None, expected_version, actor)
    unmapped = sorted(set(unmapped_fields(parsed.raw, parsed.lang, understood)) | set(unknown))
    return PubliccodeImportResult(solution=solution, created=existing is None, unmapped_fields=unmapped)


async def _save(parsed: Parsed, values: dict[str, Any], solution_id: Any, version: int | None,
                actor: Actor | None) -> Solution:
    command = {k.split("_")[0] + "".join(w.title() for w in k.split("_")[1:]): v for k, v in values.items()}
    try:
        if solution_id is None:
            return (await service.create_solution(_convert(command, SolutionCreate, ""), actor=actor))[0]
        return await service.update_solution(solution_id, _convert(command, SolutionPatch, ""),
                                             expected_version=version, actor=actor)
    except (InvalidInput, AlreadyExists) as exc:  # name the document's key, not the registry's field
        path = _paths(parsed).get(exc.field or "", exc.field)
        exc.detail = exc.detail.replace(f"{exc.field}:", f"{path}:", 1) if exc.field else exc.detail
        exc.field = path
        raise
