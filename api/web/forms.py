"""HTML form fields ↔ the core's commands, with German messages that name the field.

Form fields carry the wire names of the commands (camelCase), so the same msgspec Structs and
their single-field limits validate a form and a JSON body alike. Every value travels as text:
an empty field means "no value" (None), lists are comma-separated.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from efa_registry.errors import InvalidInput
from efa_registry.solutions import model

LABELS = {
    "name": "Name", "slug": "Kurzname (URL)", "provider": "Anbieter", "operator": "Betreiber",
    "summary": "Kurzbeschreibung", "description": "Beschreibung", "status": "Status",
    "efaCompliant": "EfA-Mindestanforderungen erfüllt", "reifegradModel": "Reifegradmodell",
    "reifegrad": "Reifegrad", "reuseRoute": "Nachnutzungsweg", "rolloutLevel": "Rollout-Ebene",
    "licence": "Lizenz", "sourceRepository": "Quellcode-Repository", "documentationUrl": "Dokumentation",
    "costsNote": "Hinweise zu Kosten", "ozgIds": "OZG-Leistungen (OZG-IDs)", "tags": "Schlagwörter",
    "contactName": "Ansprechperson", "contactEmail": "E-Mail der Ansprechperson",
    "kind": "Art", "standard": "Standard", "standardVersion": "Version des Standards",
    "specUrl": "Spezifikation (URL)", "authentication": "Authentifizierung", "sunsetOn": "Abschaltung am",
    "version": "Version",
}
# The editable fields of a solution, in form order ("provider" and "slug" only when creating).
SOLUTION_FIELDS = ("name", "summary", "description", "ozgIds", "status", "efaCompliant", "reifegradModel",
                   "reifegrad", "reuseRoute", "rolloutLevel", "operator", "licence", "sourceRepository",
                   "documentationUrl", "costsNote", "tags", "contactName", "contactEmail")
INTERFACE_FIELDS = ("kind", "name", "standard", "standardVersion", "specUrl", "authentication", "status", "sunsetOn")
LIST_FIELDS = {"ozgIds", "tags"}
SNAKE = {f: re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), f) for f in LABELS}


class FormError(InvalidInput):
    """A form value the command refuses; ``field`` is the form field's name."""


def _parse(name: str, text: str) -> Any:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()  # a browser sends a textarea's lines as CRLF
    if name in LIST_FIELDS:
        return [v.strip() for v in text.split(",") if v.strip()]
    if not text:
        return None
    if name == "efaCompliant":
        return {"ja": True, "nein": False}.get(text, text)
    if name == "reifegrad":
        try:
            return int(text)
        except ValueError:
            raise FormError("Bitte eine ganze Zahl angeben.", field=name) from None
    return text


def _convert(values: dict[str, str], fields: tuple[str, ...], command: type[msgspec.Struct]) -> Any:
    data = {name: _parse(name, values.get(name, "")) for name in fields if name in values}
    try:
        return msgspec.convert(data, command)
    except msgspec.ValidationError as exc:
        message, field = german(str(exc))
        raise FormError(message, field=field) from exc


def german(message: str) -> tuple[str, str | None]:
    """A msgspec validation message in German, and the form field it names."""
    match = re.search(r"at `\$\.(\w+)", message)
    field = match.group(1) if match else None
    rules = [(r"`array` of length <= (\d+)", "höchstens {} Einträge"),
             (r"length >= (\d+)", "mindestens {} Zeichen"), (r"length <= (\d+)", "höchstens {} Zeichen"),
             (r"`int` >= (\d+)", "mindestens {}"), (r"`int` <= (\d+)", "höchstens {}"),
             (r"matching regex", "Das Format passt nicht (z. B. https://… bei Adressen, Ziffern bei OZG-IDs)."),
             (r"Invalid enum value", "Bitte einen der angebotenen Werte wählen."),
             (r"Expected `bool`", "Bitte ja, nein oder keine Angabe wählen."),
             (r"Invalid RFC3339 encoded date|Expected `date`", "Bitte ein Datum angeben, z. B. 2026-12-31."),
             (r"Object missing required field `(\w+)`", "Pflichtfeld {}")]
    if "got `null`" in message and field:  # a required field left empty
        return f"„{LABELS.get(field, field)}“ ist ein Pflichtfeld.", field
    for pattern, text in rules:
        found = re.search(pattern, message)
        if found:
            if pattern.startswith("Object missing"):
                field = found.group(1)
                return f"„{LABELS.get(field, field)}“ ist ein Pflichtfeld.", field
            detail = text.format(*found.groups()) if found.groups() else text
            return (f"Bitte {detail} angeben." if found.groups() else detail), field
    return "Dieser Wert wird so nicht angenommen.", field


def solution_patch(values: dict[str, str]) -> model.SolutionPatch:
    return _convert(values, SOLUTION_FIELDS, model.SolutionPatch)


def solution_create(values: dict[str, str]) -> model.SolutionCreate:
    return _convert(values, ("provider", "slug", *SOLUTION_FIELDS), model.SolutionCreate)


def interface_create(values: dict[str, str]) -> model.InterfaceCreate:
    return _convert(values, INTERFACE_FIELDS, model.InterfaceCreate)


def interface_patch(values: dict[str, str]) -> model.InterfacePatch:
    return _convert(values, INTERFACE_FIELDS, model.InterfacePatch)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def solution_values(solution: model.Solution) -> dict[str, str]:
    """A solution as the edit form shows it (also what a conflicting edit is compared with)."""
    values = {name: _text(getattr(solution, SNAKE[name], None)) for name in SOLUTION_FIELDS}
    values["ozgIds"] = ", ".join(o.ozg_id for o in solution.ozg_leistungen)
    values["operator"] = solution.operator.slug if solution.operator else ""
    return values


def interface_values(interface: model.Interface) -> dict[str, str]:
    return {name: _text(getattr(interface, SNAKE[name], None)) for name in INTERFACE_FIELDS}


def submitted(form: Any, fields: tuple[str, ...]) -> dict[str, str]:
    """The form's values for ``fields`` as plain strings (absent fields left out)."""
    return {name: str(form.get(name)) for name in fields if form.get(name) is not None}


def version_of(form: Any) -> int | None:
    try:
        return int(form.get("version", ""))
    except ValueError:
        return None


def conflicts(mine: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """Fields where the person's input differs from what is stored now: field → stored value."""
    def norm(name: str, text: str) -> str:
        return ", ".join(v.strip() for v in text.split(",")) if name in LIST_FIELDS else text.strip()

    return {name: theirs.get(name, "") for name in mine
            if name in theirs and norm(name, mine[name]) != norm(name, theirs.get(name, ""))}


def camel(name: str | None) -> str | None:
    """The form field of a core field name (``rollout_level`` → ``rolloutLevel``)."""
    if not name:
        return None
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
