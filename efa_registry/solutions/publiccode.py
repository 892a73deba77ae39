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

This module writes documents; ``publiccode_mapping`` reads and validates them and
``publiccode_import`` creates or updates a solution from one.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from efa_registry import db
from efa_registry.solutions import service
from efa_registry.solutions.model import Solution

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
    text = {"localisedName": solution.name, "shortDescription": _shorten(summary.replace("\n", " "), 150),
              "longDescription": long, "documentation": solution.documentation_url,
              "features": [f"OZG-Leistung {o.ozg_id}: {o.name}" for o in solution.ozg_leistungen] or [solution.name]}
    document = {
        "publiccodeYmlVersion": VERSION, "name": solution.name, "url": solution.source_repository or api_url,
        "platforms": ["web"],
        "categories": [DEFAULT_CATEGORY, *(t for t in solution.tags if t in CATEGORIES and t != DEFAULT_CATEGORY)],
        "developmentStatus": STATUS_TO_DEVELOPMENT[solution.status], "softwareType": "standalone/web",
        "description": {solution.language: {k: v for k, v in text.items() if v is not None}},
        "legal": {"license": solution.licence or UNSPECIFIED_LICENCE, "mainCopyrightOwner": solution.provider.name,
                  "repoOwner": solution.provider.name},
        "maintenance": _maintenance(solution, with_contact),
        "localisation": {"localisationReady": False, "availableLanguages": [solution.language]},
    }
    if extensions:
        document["de"] = {"countryExtensionVersion": "1.0", "leika": leika}
        document[EXTENSION] = {
            "slug": solution.slug, "tags": solution.tags, "reuseRoute": solution.reuse_route,
            "efaCompliant": solution.efa_compliant, "reifegradModel": solution.reifegrad_model,
            "reifegrad": solution.reifegrad, "rolloutLevel": solution.rollout_level, "costsNote": solution.costs_note,
        }
        if solution.summary != text["shortDescription"]:  # absent or shortened: keep the original
            document[EXTENSION]["summary"] = solution.summary
    return document


def dump(document: dict[str, Any]) -> str:
    return "# publiccode.yml — https://yml.publiccode.tools\n" + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


# --------------------------------------------------------------------------- use case


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
