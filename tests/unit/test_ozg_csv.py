"""The pure rules of the OZG catalogue importers: the slug of Themenfeld and Lage names, CSV
reading, and the parsing of OZG-Leistungen and LeiKa rows."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from efa_registry.errors import ImportFailed
from efa_registry.ozg.catalogue_csv import (
    LeikaValues,
    decode,
    parse_leika,
    parse_ozg_leistungen,
    slug,
)
from efa_registry.ozg.catalogue_import import diff
from efa_registry.seeding import read_seed_csv
from seed import SEED_DIR
from tests.conftest import FIXTURES

THEMENFELDER = {r["name"]: r["key"] for r in read_seed_csv(SEED_DIR, "themenfelder.csv")}
LEISTUNGEN_HEADER = "ozg_id,ozg_leistung,lage,themenfeld,anzahl_leika_leistungen,kdn_id\n"
LEIKA_HEADER = ("leika_schluessel,leika_leistung,leika_typisierung,rechtsgrundlage,gesetze,"
                "gesetz_kuerzel,ozg_id,ozg_leistung,sdg1_relevanz,sdg2_relevanz,kdn_id\n")


def leistungen(*rows: str) -> str:
    return LEISTUNGEN_HEADER + "".join(row + "\n" for row in rows)


def leika(*rows: str) -> str:
    return LEIKA_HEADER + "".join(row + "\n" for row in rows)


def errors_of(exc: pytest.ExceptionInfo[ImportFailed]) -> dict[int, str]:
    return dict(exc.value.errors)


class TestSlug:
    @pytest.mark.parametrize(("name", "key"), [
        ("Unternehmensführung & -entwicklung", "unternehmensfuehrung-entwicklung"),
        ("Ein- & Auswanderung", "ein-auswanderung"),
        ("Mobilität & Reisen", "mobilitaet-reisen"),
        ("(Drohender) Arbeitsplatzverlust & -suche", "drohender-arbeitsplatzverlust-suche"),
        ("Aus-, Weiterbildung & Sachkunde", "aus-weiterbildung-sachkunde"),
        ("Finanzielle Existenzsicherung/Unterstützung bei finanziellen Problemen",
         "finanzielle-existenzsicherung-unterstuetzung-bei-finanziellen-problemen"),
        ("Rechtsverstöße - Anzeigen und Hilfen für Opfer",
         "rechtsverstoesse-anzeigen-und-hilfen-fuer-opfer"),
        ("Eheschließung", "eheschliessung"),
        ("Ärger über Öl", "aerger-ueber-oel"),
        ("Café  Crème", "cafe-creme"),
    ])
    def test_slug_transliterates_and_joins_words(self, name: str, key: str) -> None:
        assert slug(name) == key

    def test_seed_themenfeld_keys_follow_the_slug_rule(self) -> None:
        assert len(THEMENFELDER) == 14
        assert all(slug(name) == key for name, key in THEMENFELDER.items())


class TestReading:
    def test_utf8_with_bom_and_windows_1252_are_decoded(self) -> None:
        assert decode("\ufeffFührerschein".encode()) == "Führerschein"
        assert decode("Führerschein".encode("cp1252")) == "Führerschein"

    def test_a_utf8_file_with_a_stray_byte_is_refused_with_its_line_not_read_as_windows_1252(self) -> None:
        data = "ozg_id,name\n1,Führerschein\n2,".encode() + "Gebühr".encode("cp1252") + b"\n"
        with pytest.raises(ImportFailed) as exc:
            decode(data)
        assert errors_of(exc) == {3: "byte 0xFC at position 6 is not UTF-8"}

    @pytest.mark.parametrize("pack", [gzip.compress, lambda data: zipped("ozg_leistungen.csv", data)])
    def test_a_packed_file_is_read_as_its_content(self, pack) -> None:
        assert decode(pack("Führerschein".encode())) == "Führerschein"

    def test_a_quote_left_open_is_refused_on_the_line_it_opens(self) -> None:
        """It would take in every line after it: 500 Leistungen silently gone."""
        text = leistungen("10000,Elterngeld,Geburt,Familie & Kind,4,\"151",
                          "10005,Kindergeld,Geburt,Familie & Kind,4,1")
        with pytest.raises(ImportFailed) as exc:
            parse_ozg_leistungen(text, THEMENFELDER)
        assert list(errors_of(exc)) == [2]

    def test_a_long_cell_or_a_nul_is_refused_or_read_never_a_crash(self) -> None:
        long = leistungen("10000,Elterngeld,Geburt,Familie & Kind,4," + "1" * 200_000)
        assert list(parse_ozg_leistungen(long, THEMENFELDER).leistungen) == ["10000"]
        with pytest.raises(ImportFailed) as exc:
            decode(b"ozg_id\n1\x00\n")
        assert errors_of(exc) == {2: "a NUL character"}

    def test_semicolon_separated_export_is_read(self) -> None:
        text = LEISTUNGEN_HEADER.replace(",", ";") + "10000;Elterngeld;Geburt;Familie & Kind;4;151\n"
        assert parse_ozg_leistungen(text, THEMENFELDER).leistungen == {
            "10000": ("Elterngeld", "familie-kind")}

    def test_missing_column_fails_on_line_1(self) -> None:
        with pytest.raises(ImportFailed) as exc:
            parse_ozg_leistungen("ozg_id,ozg_leistung,lage\n10000,Elterngeld,Geburt\n", THEMENFELDER)
        assert errors_of(exc) == {1: "missing columns: themenfeld"}

    def test_record_with_wrong_field_count_is_named(self) -> None:
        text = leistungen("10000,Elterngeld,Geburt,Familie & Kind,4,151", "10005,Kindergeld,Geburt")
        with pytest.raises(ImportFailed) as exc:
            parse_ozg_leistungen(text, THEMENFELDER)
        assert errors_of(exc) == {3: "3 fields, the header has 6"}

    def test_blank_lines_are_passed_over(self) -> None:
        text = leistungen("10000,Elterngeld,Geburt,Familie & Kind,4,151", "", ",,,,,")
        assert list(parse_ozg_leistungen(text, THEMENFELDER).leistungen) == ["10000"]


class TestParseOzgLeistungen:
    def test_fixture_gives_leistungen_lagen_and_nm_pairs(self) -> None:
        text = (FIXTURES / "ozg" / "ozg_leistungen.csv").read_text(encoding="utf-8")
        cat = parse_ozg_leistungen(text, THEMENFELDER)
        assert len(cat.leistungen) == 8
        assert len(cat.lagen) == 7
        assert cat.lagen["aus-weiterbildung-sachkunde"] == (
            "Aus-, Weiterbildung & Sachkunde", "unternehmensfuehrung-entwicklung")
        assert cat.lagen_of["10000"] == {
            "geburt", "finanzielle-existenzsicherung-unterstuetzung-bei-finanziellen-problemen"}

    def test_leistung_on_several_rows_keeps_the_themenfeld_of_its_first_row(self) -> None:
        text = leistungen(
            "10000,Elterngeld,Geburt,Familie & Kind,4,151",
            "10000,Elterngeld,Altersvorsorge,Arbeit & Ruhestand,4,151",
        )
        cat = parse_ozg_leistungen(text, THEMENFELDER)
        assert cat.leistungen["10000"] == ("Elterngeld", "familie-kind")
        assert cat.lagen["altersvorsorge"] == ("Altersvorsorge", "arbeit-ruhestand")

    def test_repeated_identical_row_is_harmless(self) -> None:
        row = "10000,Elterngeld,Geburt,Familie & Kind,4,151"
        assert parse_ozg_leistungen(leistungen(row, row), THEMENFELDER).lagen_of == {
            "10000": {"geburt"}}

    def test_leistung_without_lage_has_no_lagen(self) -> None:
        cat = parse_ozg_leistungen(leistungen("10000,Elterngeld,,Familie & Kind,4,151"), THEMENFELDER)
        assert cat.lagen_of == {"10000": frozenset()}
        assert cat.lagen == {}

    def test_every_malformed_row_is_named_with_its_line(self) -> None:
        text = leistungen(
            "10000,Elterngeld,Geburt,Familie & Kind,4,151",
            "10x01,Kindergeld,Geburt,Familie & Kind,4,294",
            "10019,Kindertagesbetreuung,Kinderbetreuung,Familie und Kind,13,295",
            "10020,,Kinderbetreuung,Familie & Kind,1,1",
            "10000,Elterngeld Plus,Geburt,Familie & Kind,4,151",
            "10021,Hebammenhilfe,Geburt,Gesundheit,2,253",
        )
        with pytest.raises(ImportFailed) as exc:
            parse_ozg_leistungen(text, THEMENFELDER)
        assert errors_of(exc) == {
            3: "OZG-ID '10x01' is not numeric (1–6 digits)",
            4: "unknown Themenfeld 'Familie und Kind'",
            5: "ozg_leistung is empty or longer than 300 characters",
            6: "OZG-ID 10000 is named 'Elterngeld' on line 2",
            7: "Lage 'Geburt' is in Themenfeld 'familie-kind' on line 2, here in 'gesundheit'"
               " (a Lage has one Themenfeld)",
        }

    def test_two_lagen_with_the_same_key_are_refused(self) -> None:
        text = leistungen("10000,Elterngeld,Geburt,Familie & Kind,4,151",
                          "10005,Kindergeld,Geburt!,Familie & Kind,4,294")
        with pytest.raises(ImportFailed) as exc:
            parse_ozg_leistungen(text, THEMENFELDER)
        assert errors_of(exc) == {3: "Lage 'Geburt!' has the same key 'geburt' as 'Geburt' on line 2"}


class TestParseLeika:
    def test_fixture_rows_without_key_are_skipped_with_their_line(self) -> None:
        text = (FIXTURES / "ozg" / "leika.csv").read_text(encoding="utf-8")
        parsed = parse_leika(text, {"10000", "10005", "10082", "10124", "10169", "10519"})
        assert len(parsed.entries) == 7
        assert parsed.skipped == [(3, "no 14-digit LeiKa key ('nicht im LeiKa')"),
                                  (9, "no 14-digit LeiKa key ('3233')")]

    @pytest.mark.parametrize(("row", "expected"), [
        ("99041006000000,Elterngeld,2/3,BEEG,,,10000,Elterngeld,1,0,1",
         LeikaValues("Elterngeld", "2/3", "BEEG", True, "10000")),
        ('99107002000000,Arbeitslosengeld II,"1, 2/3",,,,10000,x,0,1,1',
         LeikaValues("Arbeitslosengeld II", "1, 2/3", None, True, "10000")),
        ("99089024000000,Tierquälerei,4,,,,,,0,0,1",
         LeikaValues("Tierquälerei", "4", None, False, None)),
        ("99115005000000,Wohnsitz,,,,,10000,x,,,1",
         LeikaValues("Wohnsitz", None, None, None, "10000")),
    ])
    def test_row_values(self, row: str, expected: LeikaValues) -> None:
        parsed = parse_leika(leika(row), {"10000"})
        assert list(parsed.entries.values()) == [expected]

    def test_a_key_a_spreadsheet_turned_into_a_number_is_refused_not_skipped(self) -> None:
        with pytest.raises(ImportFailed) as exc:
            parse_leika(leika('"9,90410060E+13",Elterngeld,2/3,,,,10000,x,1,0,1'), {"10000"})
        assert errors_of(exc) == {2: "LeiKa key 9,90410060E+13 was turned into a number by a spreadsheet; format "
                                     "the column as text"}

    def test_every_malformed_row_is_named_with_its_line(self) -> None:
        text = leika(
            "99041006000000,Elterngeld,2/3,,,,10000,Elterngeld,1,0,1",
            "99041008000000,Kindergeld,1,,,,99999,Unbekannt,1,0,2",
            "99041006000000,Elterngeld,2/3,,,,10000,Elterngeld,1,0,3",
            "99041004000000,Kita,zwei,,,,10000,x,0,0,4",
            "99041004034000,Kita Aufnahme,4,,,,10000,x,ja,0,5",
            "99041004035000,,4,,,,10000,x,0,0,6",
            "99041004036000,Kita,4,,,,1000a,x,0,0,7",
        )
        with pytest.raises(ImportFailed) as exc:
            parse_leika(text, {"10000"})
        assert errors_of(exc) == {
            3: "OZG-ID 99999 is not in the catalogue (import the OZG-Leistungen first)",
            4: "LeiKa key 99041006000000 already on line 2",
            5: "leika_typisierung 'zwei' is not a LeiKa-Typ such as '2/3'",
            6: "sdg1_relevanz/sdg2_relevanz must be 0, 1 or empty, not ('ja', '0')",
            7: "leika_leistung is empty or longer than 500 characters",
            8: "OZG-ID '1000a' is not numeric (1–6 digits)",
        }


class TestDiff:
    def test_new_changed_and_equal_keys(self) -> None:
        changes = diff({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 20, "d": 4})
        assert (changes.created, changes.updated, changes.unchanged) == (["d"], ["b"], 1)


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()
