"""The command line speaks German: the core's import refusals, line by line."""

from __future__ import annotations

import pytest

from efa_registry.areas.gv100ad import parse_gv100ad
from efa_registry.cli import german
from efa_registry.errors import ImportFailed, InvalidInput
from efa_registry.kit import textfiles


def refusal(call) -> ImportFailed:
    with pytest.raises(ImportFailed) as raised:
        call()
    return raised.value


@pytest.mark.parametrize(("call", "says"), [
    (lambda: parse_gv100ad(b"99" + b"x" * 30 + b"\n"), "  Zeile 1: unbekannte Satzart '99'"),
    (lambda: textfiles.decode("Grüße\n".encode() + b"Gr\xfc\xdfe\n", "GV100AD"),
     "GV100AD: Die Datei ist UTF-8, enthält aber Bytes, die kein UTF-8 sind\n  Zeile 2: Byte 0xFC an Position 3 ist"
     " kein UTF-8"),
    (lambda: textfiles.unpacked(b"\x1f\x8b" + b"\x00" * 20, "adoptions", lambda name: True),
     "adoptions: Die gzip-Datei ist beschädigt"),
])
def test_import_refusals_are_printed_in_german(call, says):
    assert says in german.error(refusal(call))


def test_every_line_is_translated_and_the_rest_counted():
    failed = ImportFailed("7 rows refused; nothing was imported", [(n, "live_since lies in the future")
                                                                   for n in range(2, 30)])
    text = german.error(failed)
    assert text.splitlines()[0] == "7 Zeilen abgelehnt; nichts importiert"
    assert "  Zeile 2: live_since liegt in der Zukunft" in text and text.endswith("… und 8 weitere")
    assert "line" not in text


def test_a_message_no_pattern_knows_is_shown_as_written_and_other_errors_as_they_are():
    assert german.message("something new") == "something new"
    assert german.error(InvalidInput("slug: taken", field="slug")) == "slug: taken"


def test_every_publiccode_warning_reads_german():
    import yaml

    from efa_registry.solutions import publiccode_mapping
    from tests.unit.test_publiccode import FIXTURES

    doc = yaml.safe_load((FIXTURES / "minimal.yml").read_text())
    doc["publiccodeYmlVersion"] = "0.9"
    doc["description"] = {"it": {"shortDescription": "Breve. " * 30, "documentation": "http://docs.example"}}
    doc["maintenance"] = {"type": "commercial", "contacts": [{"name": "Petra", "email": "petra(at)amt.example"}]}
    doc["legal"]["license"] = "Proprietary"
    warnings = publiccode_mapping.parse(yaml.safe_dump(doc).encode()).warnings
    assert len(warnings) >= 7
    assert [w for w in warnings if german.message(w) == w] == []
