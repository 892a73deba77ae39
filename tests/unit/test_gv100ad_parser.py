"""The GV100AD parser: fixed-width records → area rows, encodings, line endings, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from efa_registry.areas.gv100ad import AreaRow, Gv100ad, parse_gv100ad
from efa_registry.errors import ImportFailed

STAND = "20251130"


def record(satzart: str, key: str, name: str, seat: str = "", tk: str = "",
           ha: int | None = None, pop: int | None = None, stand: str = STAND) -> str:
    """One record in the official widths; ``key`` fills positions 11-22."""
    line = satzart + stand + key.ljust(12) + name.ljust(50) + seat.ljust(50) + tk.ljust(2) + " " * 4
    if ha is not None and pop is not None:
        line += f"{ha:011d}{pop:011d}{pop // 2:011d}" + " " * 4 + "66111"
    return line.ljust(220)


# Every Satzart once: a Land with a Regierungsbezirk and a Region, a Kreis, a Gemeindeverband
# with a Gemeinde and a gemeindefreies Gebiet, and a Land without Regierungsbezirke.
LINES = [
    record("10", "08", "Baden-Württemberg", "Stuttgart"),
    record("20", "081", "Reg.-Bez. Stuttgart", "Stuttgart"),
    record("30", "0811", "Region Stuttgart", "Stuttgart"),
    record("40", "08111", "Stuttgart, Stadtkreis", "Stuttgart", "42"),
    record("50", "08111   0000", "Stuttgart, Landeshauptstadt", tk="50"),
    record("60", "081110000000", "Stuttgart, Landeshauptstadt", tk="62", ha=20733, pop=612663),
    record("40", "08136", "Ostalbkreis", "Aalen", "44"),
    record("50", "08136   5001", "Schwäbisch Gmünd, Stadt", "Schwäbisch Gmünd", "58"),
    record("60", "081360885001", "Schwäbisch Gmünd, Stadt", tk="67", ha=11380, pop=62000),
    record("60", "081369995001", "Gemeindefreies Gebiet Test", tk="65", ha=120, pop=17),
    record("10", "10", "Saarland", "Saarbrücken, Landeshauptstadt"),
    record("40", "10041", "Regionalverband Saarbrücken", "Saarbrücken, Landeshauptstadt", "45"),
    record("50", "10041   0100", "Saarbrücken, Landeshauptstadt", tk="50"),
    record("60", "100411000100", "Saarbrücken, Landeshauptstadt", tk="63", ha=16752, pop=182971),
]
TEXT = "".join(line + "\n" for line in LINES)


def rows_by_ars(parsed: Gv100ad) -> dict[str, AreaRow]:
    return {row.ars: row for row in parsed.rows}


def failure(data: bytes) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        parse_gv100ad(data)
    return caught.value


class TestRecords:
    @pytest.mark.parametrize(
        ("ars", "level", "parent", "ags"),
        [
            ("08", "land", None, None),
            ("081", "regierungsbezirk", "08", None),
            ("0811", "region", "081", None),
            ("08111", "kreis", "081", None),
            ("081110000", "gemeindeverband", "08111", None),
            ("081110000000", "gemeinde", "081110000", "08111000"),
            ("081365001088", "gemeinde", "081365001", "08136088"),
            ("081365001999", "gemeindefreies_gebiet", "081365001", "08136999"),
            ("10041", "kreis", "10", None),  # no Regierungsbezirk in the Saarland
        ],
    )
    def test_every_satzart_becomes_its_level_under_its_parent(self, ars, level, parent, ags):
        row = rows_by_ars(parse_gv100ad(TEXT.encode()))[ars]
        assert (row.level, row.parent, row.ags, row.land) == (level, parent, ags, ars[:2])

    def test_the_ars_puts_the_gemeindeverband_before_the_gemeinde(self):
        # Positions 16-18 are the Gemeinde, 19-22 the Gemeindeverband (Datensatzbeschreibung).
        row = rows_by_ars(parse_gv100ad(TEXT.encode()))["081365001088"]
        assert row.name == "Schwäbisch Gmünd, Stadt"
        assert row.textkennzeichen == "67"

    def test_gemeinde_carries_its_own_figures_and_no_seat(self):
        row = rows_by_ars(parse_gv100ad(TEXT.encode()))["081110000000"]
        assert (row.population, row.area_ha, row.seat) == (612663, 20733, None)
        assert row.gebietsstand == dt.date(2025, 11, 30)

    def test_upper_levels_sum_their_gemeinden_including_gemeindefreie_gebiete(self):
        rows = rows_by_ars(parse_gv100ad(TEXT.encode()))
        assert rows["081365001"].population == 62000 + 17
        assert rows["08136"].area_ha == 11380 + 120
        assert rows["081"].population == 612663 + 62000 + 17
        assert rows["08"].population == 612663 + 62000 + 17
        assert rows["10"].population == 182971

    def test_region_is_no_ars_prefix_so_it_has_no_figures(self):
        row = rows_by_ars(parse_gv100ad(TEXT.encode()))["0811"]
        assert (row.population, row.area_ha, row.seat) == (None, None, "Stuttgart")

    def test_seat_and_textkennzeichen_of_upper_levels(self):
        rows = rows_by_ars(parse_gv100ad(TEXT.encode()))
        assert (rows["08136"].seat, rows["08136"].textkennzeichen) == ("Aalen", "44")
        assert (rows["081365001"].seat, rows["081365001"].textkennzeichen) == ("Schwäbisch Gmünd", "58")
        assert (rows["081110000"].seat, rows["08"].textkennzeichen) == (None, None)

    def test_edition_is_the_gebietsstand(self):
        assert parse_gv100ad(TEXT.encode()).gebietsstand == dt.date(2025, 11, 30)


class TestEncodings:
    def test_utf8_with_bom(self):
        assert parse_gv100ad(b"\xef\xbb\xbf" + TEXT.encode()) == parse_gv100ad(TEXT.encode())

    def test_iso_8859_1_keeps_umlauts(self):
        parsed = parse_gv100ad(TEXT.encode("iso-8859-1"))
        assert rows_by_ars(parsed)["08"].name == "Baden-Württemberg"
        assert parsed == parse_gv100ad(TEXT.encode())

    @pytest.mark.parametrize("ending", ["\r\n", "\r"])  # CR alone: files from old Macs
    def test_crlf_and_cr_line_endings(self, ending):
        assert parse_gv100ad(TEXT.replace("\n", ending).encode()) == parse_gv100ad(TEXT.encode())

    def test_windows_1252_is_read_with_its_own_characters(self):
        # „Test“ – Insel: bytes 0x84, 0x93, 0x96; the name keeps its 50 columns.
        text = TEXT.replace("Test" + " " * 10, "\u201eTest\u201c \u2013 Insel")
        rows = rows_by_ars(parse_gv100ad(text.encode("cp1252")))
        assert rows["081365001999"].name == "Gemeindefreies Gebiet \u201eTest\u201c \u2013 Insel"
        assert rows["08"].name == "Baden-Württemberg"

    def test_a_utf8_file_with_a_stray_byte_is_reported_not_read_as_latin(self):
        data = TEXT.encode().replace("Saarbrücken, Landeshauptstadt".encode(), b"Saarbr\xfccken, Landeshauptstadt", 1)
        error = failure(data)
        assert error.errors == [(11, "byte 0xFC at position 79 is not UTF-8")]  # of the line's bytes

    def test_trailing_empty_lines_and_missing_final_newline_are_fine(self):
        expected = parse_gv100ad(TEXT.encode())
        assert parse_gv100ad((TEXT + "\n\r\n\n").encode()) == expected
        assert parse_gv100ad(TEXT.rstrip("\n").encode()) == expected

    def test_trailing_blanks_cut_off_an_upper_level_record_are_fine(self):
        stripped = "".join(line.rstrip() + "\n" for line in LINES)
        assert parse_gv100ad(stripped.encode()) == parse_gv100ad(TEXT.encode())


def replace_line(number: int, new: str, lines: list[str] = LINES) -> bytes:
    changed = list(lines)
    changed[number - 1] = new
    return "".join(line + "\n" for line in changed).encode()


class TestMalformedRecords:
    @pytest.mark.parametrize(
        ("number", "bad", "message"),
        [
            (6, LINES[5][:140], "too short"),
            (3, "99" + LINES[2][2:], "unknown Satzart '99'"),
            (4, LINES[3][:13] + "1x" + LINES[3][15:], "Regionalschlüssel"),
            (9, LINES[8][:18] + "50a1" + LINES[8][22:], "Regionalschlüssel"),
            (1, LINES[0][:10] + "17" + LINES[0][12:], "Regionalschlüssel"),
            (6, LINES[5][:139] + "0000061266x" + LINES[5][150:], "Bevölkerung is not a number"),
            (6, LINES[5][:128] + "   abc     " + LINES[5][139:], "Fläche in ha is not a number"),
            (2, LINES[1][:2] + "20251331" + LINES[1][10:], "Gebietsstand"),
            (2, LINES[1][:22] + " " * 198, "name is blank"),
        ],
    )
    def test_bad_line_is_reported_with_its_number(self, number, bad, message):
        error = failure(replace_line(number, bad))
        assert [line for line, _ in error.errors] == [number]
        assert message in error.errors[0][1]
        assert f"line {number}:" in str(error)

    @pytest.mark.parametrize(("number", "bad", "message"), [
        (4, LINES[3].replace("        ", "\t", 1), "control character '\\t' at position"),  # tabs shift columns
        (6, LINES[5][:30] + "\x00" + LINES[5][31:], "a NUL character"),   # refused as the file is read
        (6, LINES[5][:139] + "99999999999" + LINES[5][150:], "Bevölkerung 99999999999 is out of range"),
        (6, LINES[5] + LINES[6], "longer than 220 characters: line breaks missing?"),
    ])
    def test_what_would_shift_or_overflow_a_record_is_reported(self, number, bad, message):
        error = failure(replace_line(number, bad))
        assert [line for line, _ in error.errors] == [number] and message in error.errors[0][1], error.errors

    def test_records_of_another_gebietsstand_are_reported(self):
        error = failure(replace_line(13, LINES[12][:2] + "20191231" + LINES[12][10:]))
        assert error.errors == [(13, "Gebietsstand 31.12.2019, the other records 30.11.2025")]

    def test_every_bad_line_is_reported_at_once(self):
        lines = list(LINES)
        lines[2] = "99" + lines[2][2:]
        lines[5] = lines[5][:140]
        error = failure("".join(line + "\n" for line in lines).encode())
        assert [line for line, _ in error.errors] == [3, 6]

    def test_blank_line_between_records_is_an_error(self):
        error = failure(replace_line(5, ""))
        assert [line for line, _ in error.errors] == [5]

    def test_duplicate_ars_names_both_lines(self):
        error = failure((TEXT + LINES[3] + "\n").encode())
        assert error.errors == [(15, "ARS 08111 already on line 4")]

    def test_record_without_parent_in_the_file_is_an_error(self):
        # Without the Saarland's Land record its Kreis (now line 11) hangs in the air.
        lines = [line for line in LINES if not line.startswith("10" + STAND + "10")]
        error = failure("".join(line + "\n" for line in lines).encode())
        assert error.errors == [(11, "no parent area 100 or 10 in the file")]

    @pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf"])
    def test_file_without_records_is_an_error(self, data):
        assert "no records" in failure(data).detail
