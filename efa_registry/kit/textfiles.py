"""The files imports read, as they come: packed (ZIP, as Destatis publishes; gzip, as this package
ships) or not, in UTF-8 or a Windows encoding, with any line ends; CSV records with the line each
begins on. What cannot be read right is refused with its lines (``ImportFailed``), never guessed:
a UTF-8 file with a stray byte of another encoding would otherwise become mojibake throughout.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

from efa_registry.errors import ImportFailed
from efa_registry.types import UNSTORABLE

# An edition is a few MB; what unpacks to far more is no import file (or a "zip bomb").
MAX_UNPACKED = 100 * 1024 * 1024
MAX_REPORTED = 20
LINE_BREAK_BYTES = re.compile(rb"\r*\n|\r")  # CR CR LF: a CRLF file converted twice
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
MAX_FIELD = 1_000_000  # characters in one CSV cell (Python's default of 131,072 raised an error)
csv.field_size_limit(MAX_FIELD)
_DAMAGED = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError)


def unpacked(data: bytes, what: str, wanted: Callable[[str], bool]) -> bytes:
    """``data`` itself, or the one member of a ZIP archive that ``wanted`` accepts, or the content
    of a gzip file; at most ``MAX_UNPACKED`` bytes."""
    if data.startswith(b"\x1f\x8b"):
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            text = _bounded(inflater.decompress(data, MAX_UNPACKED + 1), what)
            if not inflater.eof:
                raise EOFError("the file ends before its compressed stream")
        except _DAMAGED as exc:
            raise ImportFailed(f"{what}: the gzip file is damaged", errors=[(0, str(exc))]) from exc
        return text
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [n for n in archive.namelist() if wanted(n.lower())]
            if len(members) != 1:
                raise ImportFailed(f"{what}: the archive must hold exactly one file to import",
                                   errors=[(0, f"found: {', '.join(archive.namelist()) or 'nothing'}")])
            with archive.open(members[0]) as member:
                return _bounded(member.read(MAX_UNPACKED + 1), what)
    except _DAMAGED as exc:
        raise ImportFailed(f"{what}: the ZIP archive is damaged", errors=[(0, str(exc))]) from exc


def _bounded(text: bytes, what: str) -> bytes:
    if len(text) > MAX_UNPACKED:
        raise ImportFailed(f"{what}: the archive unpacks to more than {MAX_UNPACKED // 2**20} MB; no import file "
                           "is that large", errors=[])
    return text


def decode(data: bytes, what: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (ISO-8859-1 where a byte is none of its
    characters). A file with UTF-8's multi-byte sequences and a byte outside them is a damaged
    UTF-8 file, not a Latin one; it is refused with those lines, as is a NUL (UTF-16, binaries)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if UTF8_SEQUENCE.search(data):
            raise ImportFailed(f"{what}: the file is UTF-8 with bytes that are not", errors=_lines_where(
                data, _not_utf8)) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no character in Windows-1252
            text = data.decode("iso-8859-1")
    if "\x00" in text:
        raise ImportFailed(f"{what}: the file holds NUL characters (UTF-16 or no text file?)",
                           errors=_lines_where(data, lambda line: "a NUL character" if b"\x00" in line else None))
    return text


def _not_utf8(line: bytes) -> str | None:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"byte 0x{line[exc.start]:02X} at position {exc.start + 1} is not UTF-8"
    return None


def _lines_where(data: bytes, problem: Callable[[bytes], str | None]) -> list[tuple[int, str]]:
    found = ((n, problem(line)) for n, line in enumerate(LINE_BREAK_BYTES.split(data), start=1))
    return [(n, p) for n, p in found if p][:MAX_REPORTED]


def records(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (cells stripped and lower-cased) and the records after it with the line each
    begins on; ``;`` or ``,`` as the separator, whichever the header uses more. A quote left open,
    which would take in every line after it, is refused with the line it opens on, as is a control
    character (BEL, ESC …: text that no feed, map or terminal may receive)."""
    if UNSTORABLE.search(text):
        lines = re.split(r"\r*\n|\r", text)
        raise ImportFailed("the file holds control characters", errors=[
            (n, f"control character U+{ord(c.group()):04X} at position {c.start() + 1}")
            for n, line in enumerate(lines, start=1) if (c := UNSTORABLE.search(line))][:MAX_REPORTED])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=True)

    def read() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFailed("the file is no well-formed CSV", errors=[(start, str(exc))]) from exc
            yield start, fields
            start = reader.line_num + 1

    rows = read()
    header = next(rows, (1, []))[1]
    return [h.strip().lower() for h in header], rows
