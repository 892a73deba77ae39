"""Rows of the area table for hand-made test data, and the one INSERT that writes them.

A kreisfreie Stadt stands at three levels and an Einheitsgemeinde at two, all named after the place
and with its population; the helpers build those levels from the key, so a data table names each
place once. A row is (ars, ags, name, level, textkennzeichen, parent, population); Land and ISO code
follow from the key when it is written.
"""

from __future__ import annotations

AreaRow = tuple[str, str | None, str, str, str | None, str | None, int | None]

ISO_CODES = {
    "01": "DE-SH", "02": "DE-HH", "03": "DE-NI", "04": "DE-HB", "05": "DE-NW", "06": "DE-HE",
    "07": "DE-RP", "08": "DE-BW", "09": "DE-BY", "10": "DE-SL", "11": "DE-BE", "12": "DE-BB",
    "13": "DE-MV", "14": "DE-SN", "15": "DE-ST", "16": "DE-TH",
}


def kreisfreie_stadt(ars: str, name: str, parent: str, population: int,
                     kreis_name: str | None = None) -> list[AreaRow]:
    """Kreis (Textkennzeichen 41), Gemeindeverband (50) and Gemeinde (61) of one city."""
    verband = ars + "0000"
    return [(ars, None, kreis_name or name, "kreis", "41", parent, population),
            (verband, None, name, "gemeindeverband", "50", ars, population),
            (verband + "000", ars + "000", name, "gemeinde", "61", verband, population)]


def einheitsgemeinde(ars: str, name: str, textkennzeichen: str, population: int) -> list[AreaRow]:
    """A kreisangehörige Gemeinde that is its own Gemeindeverband (50) inside its Kreis."""
    kreis, verband = ars[:5], ars[:9]
    return [(verband, None, name, "gemeindeverband", "50", kreis, population),
            (ars, kreis + ars[9:], name, "gemeinde", textkennzeichen, verband, population)]


def without_keys(rows: list[AreaRow]) -> list[tuple[str, str, str, str | None, int | None]]:
    """(ars, name, level, parent, population): for data that needs no AGS and no Textkennzeichen."""
    return [(ars, name, level, parent, population) for ars, _, name, level, _, parent, population in rows]


async def insert_areas(conn, rows: list[AreaRow]) -> None:
    """Write ``rows``; the Land is the key's first two digits, the ISO code is on a Land's own row."""
    await conn.executemany(
        "INSERT INTO area (ars, ags, name, level, textkennzeichen, parent, land, iso_code, population)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [(ars, ags, name, level, tk, parent, ars[:2], ISO_CODES[ars] if level == "land" else None, population)
         for ars, ags, name, level, tk, parent, population in rows])
