"""Creating or updating a solution from a publiccode.yml (the use case behind the API and the CLI)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import msgspec

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize
from efa_registry.errors import AlreadyExists, InvalidInput, InvalidReference
from efa_registry.kit.slugs import slugify
from efa_registry.solutions import repository, service
from efa_registry.solutions.model import Solution, SolutionCreate, SolutionPatch
from efa_registry.solutions.publiccode import EXTENSION
from efa_registry.solutions.publiccode_mapping import Parsed, convert, map_document, parse, unmapped_fields


class PubliccodeImportResult(msgspec.Struct, frozen=True, kw_only=True):
    solution: Solution
    created: bool
    unmapped_fields: list[str]
    warnings: list[str] = []  # imported anyway, but a person should look (errors refuse the import instead)


def _paths(parsed: Parsed) -> dict[str, str]:
    """Command field (as errors name it) → the key of the document it came from."""
    text = f"description.{parsed.lang}"
    return {"name": "name", "summary": f"{text}.shortDescription", "language": text,
            "description": f"{text}.longDescription",
            "status": "developmentStatus", "licence": "legal.license", "sourceRepository": "url",
            "documentationUrl": f"{text}.documentation", "provider": "provider",
            "ozgIds": "de.leika",
            "contactName": "maintenance.contacts[0].name", "contactEmail": "maintenance.contacts[0].email",
            **{k: f"{EXTENSION}.{k}" for k in ("slug", "tags", "reuseRoute", "efaCompliant", "reifegradModel",
                                                "reifegrad", "rolloutLevel", "costsNote")},
            # Tags come from the extension, else from the categories (without the default one).
            **({} if parsed.registry and parsed.registry.tags is not msgspec.UNSET else {"tags": "categories"})}


async def _ozg_ids(conn: asyncpg.Connection, parsed: Parsed, from_features: list[str]
                   ) -> tuple[list[str] | None, list[str]]:
    """OZG-IDs named in ``de.leika`` (directly or by LeiKa key), else in the features; and unknown LeiKa keys.
    None: the document names none (an update keeps the solution's)."""
    if parsed.germany is None or not parsed.germany.leika:  # features name them by convention: unknown ones
        # are left out and reported
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


# One repository however its URL is written: in any case (hosts ignore it, and so do GitHub's and
# GitLab's paths), with or without ".git" or a final slash.
SAME_REPOSITORY = ("lower(regexp_replace(source_repository, '(\\.git)?/*$', ''))"
                   " = lower(regexp_replace($1, '(\\.git)?/*$', ''))")


async def _existing(conn: asyncpg.Connection, values: dict[str, Any], provider_id: Any,
                    warnings: list[str]) -> asyncpg.Record | None:
    """The solution this document describes: the one with its source repository; else, for a
    document without one, the one with its slug. Another repository under a taken name is another
    solution: it gets a slug of its own (``values`` changes, ``warnings`` says so)."""
    repo = values.get("source_repository")
    if repo:
        row = await conn.fetchrow(f"SELECT id, version, provider FROM solution WHERE {SAME_REPOSITORY}"
                                  " ORDER BY provider = $2 DESC, created_at LIMIT 1", repo, provider_id)
        if row and row["provider"] != provider_id:
            raise AlreadyExists(f"url: {repo} is the source repository of another provider's solution", field="url")
        if row:
            return row
    row = await conn.fetchrow("SELECT id, version, provider, source_repository FROM solution WHERE slug = $1",
                              values["slug"])
    if row and repo and row["source_repository"] and row["source_repository"] != repo:
        slug = await repository.free_slug(conn, values["slug"])
        warnings.append(f"name: the slug {values['slug']} belongs to the solution of {row['source_repository']}; "
                        f"this repository became {slug}")
        values["slug"] = slug
        return None
    if row and row["provider"] != provider_id:
        raise AlreadyExists(f"another provider's solution has the slug {values['slug']}", field="name")
    return row


async def _needs_ozg(conn: asyncpg.Connection, values: dict[str, Any], existing: asyncpg.Record | None,
                     warnings: list[str]) -> None:
    """An available solution implements an OZG-Leistung; a document naming none (most files outside
    Germany's OZG programme) is imported as planned, for a curator to complete."""
    if values.get("status") != "available" or values.get("ozg_ids"):
        return
    if existing is not None and await repository.ozg_count(conn, existing["id"]):
        return
    values["status"] = "planned"
    warnings.append("de.leika: no OZG-Leistung named; imported as planned until a curator adds one "
                    "(developmentStatus says stable)")


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
    parsed = await asyncio.to_thread(parse, data)  # pure-Python YAML: a large file would hold up the event loop
    values, understood, from_features = map_document(parsed)
    values.update(provider=provider, slug=values["slug"] or slugify(parsed.document.name))
    warnings = list(parsed.warnings)
    async with db.connection() as conn:
        ozg_ids, unknown = await _ozg_ids(conn, parsed, from_features)
        existing = await _existing(conn, values, provider_id, warnings)
        if ozg_ids is not None:
            values["ozg_ids"] = ozg_ids
        await _needs_ozg(conn, values, existing, warnings)
    if existing is not None:
        if not update_existing:
            raise AlreadyExists(f"solution {values['slug']} exists", field="name")
        if parsed.registry is None or parsed.registry.slug is msgspec.UNSET:
            del values["slug"]  # an updated solution keeps its URL unless the document names the slug
        if not require_version and expected_version is None:
            expected_version = existing["version"]
    unmapped = sorted(set(unmapped_fields(parsed.raw, parsed.lang, understood)) | set(unknown))  # before writing
    solution = await _save(parsed, values, existing["id"] if existing else None, expected_version, actor)
    return PubliccodeImportResult(solution=solution, created=existing is None, unmapped_fields=unmapped,
                                  warnings=warnings)


async def _save(parsed: Parsed, values: dict[str, Any], solution_id: Any, version: int | None,
                actor: Actor | None) -> Solution:
    command = {k.split("_")[0] + "".join(w.title() for w in k.split("_")[1:]): v for k, v in values.items()}
    try:
        if solution_id is None:
            return (await service.create_solution(convert(command, SolutionCreate, ""), actor=actor))[0]
        return await service.update_solution(solution_id, convert(command, SolutionPatch, ""),
                                             expected_version=version, actor=actor)
    except (InvalidInput, AlreadyExists) as exc:  # name the document's key, not the registry's field
        base, bracket, index = (exc.field or "").partition("[")
        path = _paths(parsed).get(base, exc.field)
        if bracket and path == f"{EXTENSION}.tags":  # the same list: the same index
            path += bracket + index
        exc.detail = exc.detail.replace(f"{exc.field}:", f"{path}:", 1) if exc.field else exc.detail
        exc.field = path
        raise
