"""publiccode.yml mapping without a database: the export is a valid document, validation names the key,
and a solution read back from its own document has the same fields."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from pathlib import Path

import msgspec
import pytest
import yaml

from efa_registry.errors import ImportFailed, InvalidInput
from efa_registry.solutions import publiccode, publiccode_mapping
from efa_registry.solutions.model import OrganisationRef, OzgRef, Solution

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
API_URL = "https://registry.example/v1/solutions/wohngeld-digital"
NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
NRW = OrganisationRef(id=uuid.uuid4(), slug="land-nrw", name="Land Nordrhein-Westfalen", land="05")


def solution(**changes) -> Solution:
    fields = dict(
        id=uuid.uuid4(), slug="wohngeld-digital", name="Wohngeld digital", summary="Wohngeld online beantragen",
        description="Der Onlinedienst nimmt Anträge entgegen.", provider=NRW, operator=None,
        ozg_leistungen=[OzgRef(ozg_id="10000", name="Elterngeld", themenfeld="familie-kind")], status="available",
        efa_compliant=True, reifegrad_model="2.0", reifegrad=4, reuse_route="open_source", rollout_level="kreis",
        licence="EUPL-1.2", source_repository="https://gitlab.opencode.de/nrw/wohngeld",
        documentation_url="https://docs.example.org/wohngeld", costs_note="kostenfrei", language="de",
        tags=["sozial", "data-collection"], contact_name="Erika Muster", contact_email="erika@nrw.example",
        is_demo=False, interfaces=[], version=3, created_at=NOW, updated_at=NOW)
    return Solution(**{**fields, **changes})


LEIKA = [{"themenfeld": "Familie & Kind", "ozg-id": "10000", "leika-id": "99009001001000"}]


def document(s: Solution, *, with_contact: bool = True, extensions: bool = True) -> dict:
    return publiccode.to_document(s, leika=LEIKA, api_url=API_URL, with_contact=with_contact, extensions=extensions)


def round_trip(doc: dict) -> publiccode_mapping.Parsed:
    return publiccode_mapping.parse(publiccode.dump(doc).encode())


class TestExport:
    def test_has_every_key_the_standard_makes_mandatory(self):
        doc = document(solution())
        assert {"publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus", "softwareType",
                "description", "legal", "maintenance", "localisation"} <= doc.keys()
        german = doc["description"]["de"]
        assert {"shortDescription", "longDescription", "features"} <= german.keys()
        assert len(german["shortDescription"]) <= 150 and 150 <= len(german["longDescription"]) <= 10_000
        assert doc["publiccodeYmlVersion"] == "0.4" and doc["softwareType"] == "standalone/web"
        assert set(doc["categories"]) <= publiccode.CATEGORIES and doc["categories"] == [
            "digital-citizenship", "data-collection"]

    @pytest.mark.parametrize(("status", "development"), list(publiccode.STATUS_TO_DEVELOPMENT.items()))
    def test_status_maps_one_to_one(self, status, development):
        assert document(solution(status=status))["developmentStatus"] == development
        assert publiccode.DEVELOPMENT_TO_STATUS[development] == status

    def test_ozg_ids_and_leika_keys_in_the_german_section_and_as_features(self):
        doc = document(solution())
        assert doc["de"] == {"countryExtensionVersion": "1.0", "leika": LEIKA}
        assert doc["description"]["de"]["features"] == ["OZG-Leistung 10000: Elterngeld"]
        strict = document(solution(), extensions=False)
        assert "de" not in strict and publiccode.EXTENSION not in strict

    def test_a_person_is_named_only_to_authenticated_callers(self):
        public = document(solution(), with_contact=False)["maintenance"]
        assert public == {"type": "internal", "contacts": [
            {"name": "Land Nordrhein-Westfalen", "affiliation": "Land Nordrhein-Westfalen"}]}
        assert "erika" not in publiccode.dump(document(solution(), with_contact=False))
        private = document(solution())["maintenance"]["contacts"][0]
        assert (private["name"], private["email"]) == ("Erika Muster", "erika@nrw.example")
        assert document(solution(status="retired"))["maintenance"] == {"type": "none"}

    def test_without_repository_or_licence_url_is_the_api_and_licence_a_reference(self):
        doc = document(solution(source_repository=None, licence=None))
        assert doc["url"] == API_URL and doc["legal"]["license"] == "LicenseRef-unspecified"

    def test_long_texts_are_shortened_to_the_standards_limits(self):
        doc = document(solution(summary="Sehr lang " * 40, description="x" * 12_000))
        assert len(doc["description"]["de"]["shortDescription"]) <= 150
        assert len(doc["description"]["de"]["longDescription"]) == 10_000
        assert doc[publiccode.EXTENSION]["summary"] == "Sehr lang " * 40


SOLUTIONS = {
    "rich": solution(),
    "bare": solution(summary=None, description=None, licence=None, source_repository=None, documentation_url=None,
                     tags=[], efa_compliant=None, reifegrad_model=None, reifegrad=None, reuse_route=None,
                     costs_note=None, contact_name=None, contact_email=None, ozg_leistungen=[], status="planned"),
    "long summary": solution(summary="Ein sehr ausführlicher Satz. " * 10, description="Kurz."),
    "email only": solution(contact_name=None),
    "english": solution(language="en", summary="Apply for housing benefit online"),
}


class TestReadBack:
    @pytest.mark.parametrize("name", list(SOLUTIONS))
    def test_own_export_validates_and_maps_back_to_the_same_fields(self, name):
        s = SOLUTIONS[name]
        parsed = round_trip(document(s))
        values, understood, features = publiccode_mapping.map_document(parsed)
        expected = {k: getattr(s, k) for k in ("name", "summary", "description", "status", "licence",
                                               "source_repository", "documentation_url", "tags", "reuse_route",
                                               "efa_compliant", "reifegrad_model", "reifegrad", "rollout_level",
                                               "costs_note", "contact_name", "contact_email", "slug",
                                               "language")}
        expected = {k: v for k, v in expected.items() if not (k.startswith("contact_") and v is None)}
        assert {k: values[k] for k in expected} == expected
        assert features == [o.ozg_id for o in s.ozg_leistungen]
        assert publiccode_mapping.unmapped_fields(parsed.raw, parsed.lang, understood) == []

    def test_strict_document_still_carries_ozg_ids_in_features(self):
        parsed = round_trip(document(solution(), extensions=False))
        assert parsed.germany is None and publiccode_mapping.map_document(parsed)[2] == ["10000"]

    def test_anonymous_document_names_no_person(self):
        values, _, _ = publiccode_mapping.map_document(round_trip(document(solution(), with_contact=False)))
        assert "contact_name" not in values and "contact_email" not in values

    def test_foreign_document_reports_what_the_registry_does_not_keep(self):
        parsed = publiccode_mapping.parse((FIXTURES / "opencode-bauantrag.yml").read_bytes())
        values, understood, _ = publiccode_mapping.map_document(parsed)
        assert (values["status"], values["reuse_route"], values["tags"]) == (
            "available", "open_source", ["document-management"])
        assert values["source_repository"] == "https://gitlab.opencode.de/bauen/digitaler-bauantrag.git"
        assert [(i.ozg_id, i.leika_id) for i in parsed.germany.leika] == [
            ("10521", "99012001000000"), (None, "99012001000000")]
        assert publiccode_mapping.unmapped_fields(parsed.raw, parsed.lang, understood) == [
            "dependsOn.open[0].name", "dependsOn.open[0].versionMin", "description.de.features",
            "description.en.features", "description.en.longDescription", "description.en.shortDescription",
            "landingURL", "logo", "maintenance.contacts[0].phone", "releaseDate", "softwareVersion", "usedBy"]


def minimal() -> dict:
    return yaml.safe_load((FIXTURES / "minimal.yml").read_text())


def without(doc: dict, path: str) -> dict:
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[key]
    del node[last]
    return doc


def replaced(doc: dict, path: str, value) -> dict:
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[key]
    node[last] = value
    return doc


@pytest.mark.parametrize(("broken", "field"), [
    (lambda d: without(d, "publiccodeYmlVersion"), "publiccodeYmlVersion"),
    (lambda d: without(d, "name"), "name"),
    (lambda d: without(d, "url"), "url"),
    (lambda d: without(d, "description"), "description"),
    (lambda d: without(d, "legal.license"), "legal.license"),
    (lambda d: without(d, "maintenance.type"), "maintenance.type"),
    (lambda d: without(d, "description.de.shortDescription"), "description.de.shortDescription"),
    (lambda d: without(d, "localisation.availableLanguages"), "localisation.availableLanguages"),
    (lambda d: replaced(d, "description.de.shortDescription", ["a", "list"]), "description.de.shortDescription"),
    (lambda d: replaced(d, "description.de.shortDescription", "x" * 1001), "description.de.shortDescription"),
    (lambda d: replaced(d, "developmentStatus", "fertig"), "developmentStatus"),
    (lambda d: replaced(d, "publiccodeYmlVersion", "eins"), "publiccodeYmlVersion"),
    (lambda d: replaced(d, "url", "keine url"), "url"),
    (lambda d: replaced(d, "description", {}), "description"),
    (lambda d: replaced(d, "localisation.localisationReady", "vielleicht"), "localisation.localisationReady"),
    (lambda d: replaced(d, "maintenance.contacts", [{"email": "a@b.example"}]), "maintenance.contacts[0].name"),
    (lambda d: replaced(d, "de", {"leika": [{"ozg-id": "10000x"}]}), "de.leika[0].ozg-id"),
    (lambda d: replaced(d, publiccode.EXTENSION, {"reifegrad": "hoch"}), "x-efa-registry.reifegrad"),
])
def test_invalid_document_names_the_offending_key(broken, field):
    data = yaml.safe_dump(broken(minimal()), allow_unicode=True).encode()
    with pytest.raises(InvalidInput) as raised:
        publiccode_mapping.parse(data)
    assert raised.value.field == field, raised.value.detail


def test_scalars_are_read_by_the_schemas_types_not_by_their_looks():
    doc = replaced(replaced(minimal(), "publiccodeYmlVersion", 0.4), "de", {"leika": [{"ozg-id": 10000}]})
    doc["maintenance"]["contacts"] = [{"name": "Erika Muster", "phone": 4921112345}]
    text = yaml.safe_dump(doc, allow_unicode=True).replace("4921112345", "04921112345")  # a leading zero
    parsed = publiccode_mapping.parse(text.encode())
    assert parsed.document.publiccode_yml_version == "0.4" and parsed.germany.leika[0].ozg_id == "10000"
    assert parsed.document.maintenance.contacts[0].phone == "04921112345" and parsed.warnings == []


def test_what_the_registry_can_do_without_is_a_warning_not_an_error():
    parsed = publiccode_mapping.parse(yaml.safe_dump(without(minimal(), "description.de.longDescription"),
                                                     allow_unicode=True).encode())
    assert parsed.warnings == ["description.de.longDescription: missing; the short description stands in"]
    values, _, _ = publiccode_mapping.map_document(parsed)
    assert values["description"] == parsed.text.short_description


def test_minimal_document_is_valid():
    parsed = publiccode_mapping.parse((FIXTURES / "minimal.yml").read_bytes())
    values, _, _ = publiccode_mapping.map_document(parsed)
    assert (values["status"], values["licence"], values["reuse_route"], values["contact_name"]) == (
        "pilot", "MIT", "open_source", "Erika Muster")


@pytest.mark.parametrize(("data", "line"), [
    ((FIXTURES / "broken-syntax.yml").read_bytes(), 5),
    ((FIXTURES / "alias-bomb.yml").read_bytes(), 3),
])
def test_yaml_syntax_errors_and_aliases_name_the_line(data, line):
    with pytest.raises(ImportFailed) as raised:
        publiccode_mapping.parse(data)
    assert raised.value.errors[0][0] == line


@pytest.mark.parametrize(("data", "message"), [
    (b"- just\n- a list\n", "mapping"), ("name: Größe".encode("latin-1"), "UTF-8"),
    (b"x: " + b"a" * 1_000_001, "larger"),
])
def test_not_a_publiccode_document(data, message):
    with pytest.raises(InvalidInput, match=message):
        publiccode_mapping.parse(data)


def test_document_keys_are_the_standards_camel_case():
    assert "shortDescription" in msgspec.structs.fields(publiccode_mapping.Description)[0].encode_name


def as_yaml(doc: dict) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True).encode()


@pytest.mark.parametrize(("data", "problem"), [
    (b"name: a\nlegal:\n  license: MIT\nname: b\n", "appears twice"),          # YAML forbids a key twice
    (b"logo: " + b"[" * 400 + b"]" * 400 + b"\n", "nested deeper"),          # the composer would overflow
])
def test_what_yaml_forbids_or_would_crash_on_is_refused_with_its_line(data, problem):
    with pytest.raises(ImportFailed) as raised:
        publiccode_mapping.parse(data)
    assert any(problem in text and line >= 1 for line, text in raised.value.errors), raised.value.errors


@pytest.mark.parametrize(("broken", "field"), [
    (lambda d: replaced(d, "localisation.localisationReady", ["yes"]), "localisation.localisationReady"),
    (lambda d: replaced(d, "localisation.localisationReady", {"a": 1}), "localisation.localisationReady"),
    (lambda d: replaced(d, "maintenance.contacts", [{"name": "A\x00"}]), "maintenance.contacts[0].name"),
])
def test_values_of_the_wrong_shape_name_their_key(broken, field):
    with pytest.raises(InvalidInput) as raised:
        publiccode_mapping.parse(as_yaml(broken(minimal())))
    assert raised.value.field == field, raised.value.detail


@pytest.mark.parametrize(("languages", "taken"), [
    (["eng", "deu"], "deu"),          # publiccode.yml 0.2 wrote ISO 639-2 codes
    (["it", "en-GB"], "en-GB"),        # English in any region before another language
    (["en", "de-AT", "de"], "de"),     # the plain code before a regional one
    (["fr", "it"], "fr"),
])
def test_the_german_then_the_english_description_is_taken(languages, taken):
    doc = minimal()
    doc["description"] = {lang: copy.deepcopy(doc["description"]["de"]) for lang in languages}
    assert publiccode_mapping.parse(as_yaml(doc)).lang == taken


@pytest.mark.parametrize(("key", "code"), [
    ("de-DE", "de"), ("deu", "de"), ("en_GB", "en"), ("eng", "en"), ("it", "it"), ("IT", "it"), ("hsb", "hsb"),
    ("zh-Hans-CN", "zh"), ("italiano", "und"), ("{x}", "und"), ("1", "und"),
])
def test_the_solution_stores_the_iso_639_code_of_the_description_taken(key, code):
    doc = minimal()
    doc["description"] = {key: doc["description"]["de"]}
    values, _, _ = publiccode_mapping.map_document(publiccode_mapping.parse(as_yaml(doc)))
    assert values["language"] == code


def test_an_english_solution_is_exported_as_english():
    doc = document(solution(language="en"))
    assert list(doc["description"]) == ["en"] and doc["localisation"]["availableLanguages"] == ["en"]


def test_a_language_key_that_looks_like_a_pattern_is_reported_as_it_is():
    doc = minimal()
    doc["description"] = {"{x}": doc["description"]["de"]}
    parsed = publiccode_mapping.parse(as_yaml(doc))
    _, understood, _ = publiccode_mapping.map_document(parsed)
    assert publiccode_mapping.unmapped_fields(parsed.raw, parsed.lang, understood) == ["description.{x}.features"]


@pytest.mark.parametrize(("licence", "open_source"), [
    ("EUPL-1.2", True), ("MIT OR Apache-2.0", True), ("GPL-2.0-only WITH Classpath-exception-2.0", True),
    ("(MIT AND BSD-3-Clause)", True), ("proprietär – alle Rechte vorbehalten", False), ("Proprietary", False),
    ("LicenseRef-Hersteller", False), ("MIT OR", False),
])
def test_only_an_spdx_expression_makes_open_source_the_reuse_route(licence, open_source):
    parsed = publiccode_mapping.parse(as_yaml(replaced(minimal(), "legal.license", licence)))
    values, _, _ = publiccode_mapping.map_document(parsed)
    assert (values.get("reuse_route") == "open_source") is open_source and values["licence"] == licence
    assert any(w.startswith("legal.license") for w in parsed.warnings) is (
        not open_source and not licence.startswith("LicenseRef-"))


def test_names_and_texts_are_kept_without_the_spaces_around_them():
    doc = replaced(replaced(minimal(), "name", "  Leerzeichendienst  "), "description.de.shortDescription",
                   "Endet mit einem Zeilenende\n")
    values, _, _ = publiccode_mapping.map_document(publiccode_mapping.parse(as_yaml(doc)))
    assert (values["name"], values["summary"]) == ("Leerzeichendienst", "Endet mit einem Zeilenende")


@pytest.mark.parametrize("escape", ["\\0", "\\ud800"])
def test_text_postgresql_cannot_store_is_refused_naming_its_key(escape):
    text = (FIXTURES / "minimal.yml").read_text().replace("name: Elterngeld Online", f'name: "Eltern{escape}geld"')
    with pytest.raises(InvalidInput) as raised:
        publiccode_mapping.parse(text.encode())
    assert raised.value.field == "name"


@pytest.mark.parametrize(("change", "warning", "kept"), [
    (lambda d: replaced(d, "maintenance.type", "commercial"), "maintenance.type", {}),   # real OpenCoDE files
    (lambda d: replaced(d, "description.de.shortDescription", "Kurz und doch lang. " * 8),
     "description.de.shortDescription: longer than", {"summary": ("Kurz und doch lang. " * 8).strip()}),
    (lambda d: replaced(d, "description.de.documentation", "http://docs.example.org"), "documentation: not an https",
     {"documentation_url": None}),
    (lambda d: replaced(d, "maintenance.contacts", [{"name": "Petra Prüfer", "email": "petra(at)amt.example"}]),
     "email: not an e-mail address", {"contact_name": "Petra Prüfer"}),
])
def test_what_real_files_get_wrong_but_the_registry_does_not_keep_is_a_warning(change, warning, kept):
    parsed = publiccode_mapping.parse(as_yaml(change(minimal())))
    values, _, _ = publiccode_mapping.map_document(parsed)
    assert any(warning in w for w in parsed.warnings), parsed.warnings
    assert {k: values.get(k) for k in kept} == kept and "contact_email" not in values


@pytest.mark.parametrize("data", [b"? [a, b]\n: 1\n", b"{a: 1}: 2\n"])
def test_a_list_or_mapping_as_a_key_is_refused_not_a_crash(data):
    with pytest.raises((ImportFailed, InvalidInput)):
        publiccode_mapping.parse(data)
