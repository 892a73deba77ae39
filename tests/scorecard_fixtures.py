"""Hand-made data with known scorecards: real keys, names and populations (GV100AD 30.11.2025) of
a few NRW and RLP areas, real OZG-Leistungen, invented solutions and adoptions.

Known answers (``online`` = Leistungen live for the whole area, of 7 with a non-retired solution):

- Duisburg 3: Elterngeld inherited from the Land, Kfz-Zulassung own (adopted under its Kreis key),
  Meldebescheinigung own through three solutions (1.1/3 and 2.0/7, 2.0/4); in preparation:
  Wohnsitzanmeldung (interested) and Baugenehmigung (agreed, 30.06.2026).
- Peers of Duisburg (kreisfreie Städte in NRW, 251.135–1.004.540 inhabitants): Düsseldorf 4,
  Bochum 3, Essen 1, so Duisburg shares rank 2 with Bochum, Essen is 4th.
- Hamm 5, its one peer Bochum 3: rank 1 of 2.
- Kreis Mettmann: 3 online (Elterngeld from the Land, its own Kfz-Zulassung and Wohnsitzanmeldung),
  Meldebescheinigung partial (Hilden and Ratingen of its three Gemeinden), Velbert onboarding.
- Hilden 4 and Ratingen 4 share rank 1 among the kreisangehörigen Gemeinden of 27.579–110.314
  inhabitants; Velbert 3 is 3rd.
- Wohnsitzanmeldung in NRW: 10 Gemeinden eligible, 5 covered (Düsseldorf, Hamm, Mettmann's three
  through their Kreis), 5 missing: Duisburg interested, Essen paused, Bochum onboarding through
  its Regierungsbezirk (planned 01.09.2026), Neuss and Rommerskirchen without any adoption.
"""

from __future__ import annotations

import datetime as dt
import uuid

from efa_registry import db

AREAS = [
    # ars, ags, name, level, textkennzeichen, parent, population
    ("05", None, "Nordrhein-Westfalen", "land", None, None, 18_034_454),
    ("051", None, "Reg.-Bez. Düsseldorf", "regierungsbezirk", None, "05", 5_244_379),
    ("05111", None, "Düsseldorf, Stadt", "kreis", "41", "051", 618_685),
    ("051110000", None, "Düsseldorf, Stadt", "gemeindeverband", "50", "05111", 618_685),
    ("051110000000", "05111000", "Düsseldorf, Stadt", "gemeinde", "61", "051110000", 618_685),
    ("05112", None, "Duisburg, Stadt", "kreis", "41", "051", 502_270),
    ("051120000", None, "Duisburg, Stadt", "gemeindeverband", "50", "05112", 502_270),
    ("051120000000", "05112000", "Duisburg, Stadt", "gemeinde", "61", "051120000", 502_270),
    ("05113", None, "Essen, Stadt", "kreis", "41", "051", 574_682),
    ("051130000", None, "Essen, Stadt", "gemeindeverband", "50", "05113", 574_682),
    ("051130000000", "05113000", "Essen, Stadt", "gemeinde", "61", "051130000", 574_682),
    ("05158", None, "Mettmann", "kreis", "43", "051", 490_910),
    ("051580016", None, "Hilden, Stadt", "gemeindeverband", "50", "05158", 55_157),
    ("051580016016", "05158016", "Hilden, Stadt", "gemeinde", "63", "051580016", 55_157),
    ("051580028", None, "Ratingen, Stadt", "gemeindeverband", "50", "05158", 89_368),
    ("051580028028", "05158028", "Ratingen, Stadt", "gemeinde", "63", "051580028", 89_368),
    ("051580032", None, "Velbert, Stadt", "gemeindeverband", "50", "05158", 82_463),
    ("051580032032", "05158032", "Velbert, Stadt", "gemeinde", "63", "051580032", 82_463),
    ("05162", None, "Rhein-Kreis Neuss", "kreis", "43", "051", 457_077),
    ("051620024", None, "Neuss, Stadt", "gemeindeverband", "50", "05162", 154_317),
    ("051620024024", "05162024", "Neuss, Stadt", "gemeinde", "63", "051620024", 154_317),
    ("051620028", None, "Rommerskirchen", "gemeindeverband", "50", "05162", 14_079),
    ("051620028028", "05162028", "Rommerskirchen", "gemeinde", "64", "051620028", 14_079),
    ("059", None, "Reg.-Bez. Arnsberg", "regierungsbezirk", None, "05", 3_571_898),
    ("05911", None, "Bochum, Stadt", "kreis", "41", "059", 358_676),
    ("059110000", None, "Bochum, Stadt", "gemeindeverband", "50", "05911", 358_676),
    ("059110000000", "05911000", "Bochum, Stadt", "gemeinde", "61", "059110000", 358_676),
    ("05915", None, "Hamm, Stadt", "kreis", "41", "059", 179_968),
    ("059150000", None, "Hamm, Stadt", "gemeindeverband", "50", "05915", 179_968),
    ("059150000000", "05915000", "Hamm, Stadt", "gemeinde", "61", "059150000", 179_968),
    ("07", None, "Rheinland-Pfalz", "land", None, None, 4_129_569),
    ("071", None, "früher: Reg.-Bez. Koblenz", "regierungsbezirk", None, "07", 1_530_208),
    ("07111", None, "Koblenz, kreisfreie Stadt", "kreis", "41", "071", 113_378),
    ("071110000", None, "Koblenz, Stadt", "gemeindeverband", "50", "07111", 113_378),
    ("071110000000", "07111000", "Koblenz, Stadt", "gemeinde", "61", "071110000", 113_378),
    ("07131", None, "Ahrweiler", "kreis", "44", "071", 129_353),
    ("071315001", None, "Adenau", "gemeindeverband", "53", "07131", 12_894),
    ("071315001001", "07131001", "Adenau, Stadt", "gemeinde", "63", "071315001", 2_935),
    ("071315001004", "07131004", "Antweiler", "gemeinde", "64", "071315001", 476),
    ("071315001005", "07131005", "Aremberg", "gemeinde", "64", "071315001", 196),
]
ISO = {"05": "DE-NW", "07": "DE-RP"}
NRW_GEMEINDEN = [a[0] for a in AREAS if a[3] == "gemeinde" and a[0].startswith("05")]
NRW_KREISE = [a[0] for a in AREAS if a[3] == "kreis" and a[0].startswith("05")]

THEMENFELDER = [("arbeit-ruhestand", "Arbeit & Ruhestand", 1), ("bauen-wohnen", "Bauen & Wohnen", 2),
                ("familie-kind", "Familie & Kind", 6), ("mobilitaet-reisen", "Mobilität & Reisen", 9),
                ("querschnitt", "Querschnitt", 10)]
LEISTUNGEN = [  # ozg_id, name, themenfeld, execution level
    ("10000", "Elterngeld", "familie-kind", "land"),
    ("10019", "Kindertagesbetreuung", "familie-kind", None),  # measured at its solutions' level
    ("10092", "Wohngeld", "arbeit-ruhestand", None),
    ("10124", "Wohnsitzmeldungen", "bauen-wohnen", "gemeinde"),
    ("10439", "Kraftfahrzeugzulassung, -um- und Abmeldung", "mobilitaet-reisen", "kreis"),
    ("10519", "Bauvorbescheid und Baugenehmigung", "bauen-wohnen", "kreis"),
    ("10559", "Meldebescheinigung und -registerauskunft", "querschnitt", "gemeinde"),
]
SOLUTIONS = [  # slug, name, ozg_id, rollout level, status, Reifegrad model, Reifegrad
    ("elterngeld-digital", "Elterngeld digital", "10000", "land", "available", "2.0", 5),
    ("kita-platz", "Kita-Platz-Suche", "10019", "gemeinde", "pilot", "1.1", 2),
    ("wohngeld-alt", "Wohngeld-Antrag (eingestellt)", "10092", "gemeinde", "retired", "1.1", 1),
    ("wohngeld-neu", "Wohngeld-Antrag online", "10092", "gemeinde", "planned", None, None),
    ("wohnsitzanmeldung", "Wohnsitzanmeldung online", "10124", "gemeinde", "available", "2.0", 6),
    ("kfz-zulassung", "Kfz-Zulassung online", "10439", "kreis", "available", "2.0", 4),
    ("digitaler-bauantrag", "Digitaler Bauantrag", "10519", "kreis", "available", "2.0", 5),
    ("meldebescheinigung", "Meldebescheinigung online", "10559", "gemeinde", "available", "2.0", 7),
    ("melderegisterauskunft", "Melderegisterauskunft online", "10559", "gemeinde", "available", "2.0", 4),
    ("meldebescheinigung-klassisch", "Meldebescheinigung (Formular)", "10559", "gemeinde", "available", "1.1", 3),
]
D = dt.date
ADOPTIONS = [  # solution, adopting area, status, planned go-live
    ("elterngeld-digital", "05", "live", None),
    ("wohngeld-alt", "051120000000", "live", None),  # retired: counts for nothing
    ("kfz-zulassung", "05158", "live", None),
    ("wohnsitzanmeldung", "05158", "live", None),
    ("meldebescheinigung", "051580016016", "live", None),
    ("meldebescheinigung-klassisch", "051580028028", "live", None),
    ("meldebescheinigung", "051580032032", "onboarding", D(2026, 3, 1)),
    ("kfz-zulassung", "05112", "live", None),
    ("meldebescheinigung", "051120000000", "live", None),
    ("melderegisterauskunft", "051120000000", "live", None),
    ("meldebescheinigung-klassisch", "051120000000", "live", None),
    ("wohnsitzanmeldung", "051120000000", "interested", None),
    ("digitaler-bauantrag", "05112", "agreed", D(2026, 6, 30)),
    ("wohnsitzanmeldung", "059150000000", "live", None),
    ("meldebescheinigung", "059150000000", "live", None),
    ("kita-platz", "059150000000", "live", None),
    ("digitaler-bauantrag", "05915", "live", None),
    ("wohnsitzanmeldung", "059", "onboarding", D(2026, 9, 1)),
    ("meldebescheinigung", "059110000000", "live", None),
    ("kfz-zulassung", "05911", "live", None),
    ("kfz-zulassung", "05111", "live", None),
    ("meldebescheinigung", "051110000000", "live", None),
    ("wohnsitzanmeldung", "051110000000", "live", None),
    ("wohnsitzanmeldung", "051130000000", "paused", None),
    ("kita-platz", "05162", "live", None),
    ("kfz-zulassung", "07131", "live", None),
    ("wohnsitzanmeldung", "071315001", "live", None),
    ("meldebescheinigung", "071315001001", "live", None),
]
LIVE_SINCE = D(2024, 5, 17)


async def load() -> dict[str, uuid.UUID]:
    """Write the data (the caller cleaned the database); returns slug → solution id."""
    ids = {slug: uuid.uuid4() for slug, *_ in SOLUTIONS}
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO area (ars, ags, name, level, textkennzeichen, parent, land, iso_code, population)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [(ars, ags, name, level, tk, parent, ars[:2], ISO.get(ars) if level == "land" else None, pop)
             for ars, ags, name, level, tk, parent, pop in AREAS])
        await conn.executemany("INSERT INTO themenfeld (key, name, position) VALUES ($1, $2, $3)", THEMENFELDER)
        await conn.executemany("INSERT INTO ozg_leistung (ozg_id, name, themenfeld, execution_level)"
                               " VALUES ($1, $2, $3, $4)", LEISTUNGEN)
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'land-nrw', 'land',"
                           " 'Land Nordrhein-Westfalen')", uuid.uuid4())
        await conn.executemany(
            "INSERT INTO solution (id, slug, name, provider, status, rollout_level, reifegrad_model, reifegrad)"
            " SELECT $1, $2, $3, id, $4, $5, $6, $7 FROM organisation WHERE slug = 'land-nrw'",
            [(ids[slug], slug, name, status, level, model, grad)
             for slug, name, _, level, status, model, grad in SOLUTIONS])
        await conn.executemany("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)",
                               [(ids[slug], ozg) for slug, _, ozg, *_ in SOLUTIONS])
        await conn.executemany(
            "INSERT INTO adoption (id, solution, area, status, paused_from, planned_live_on, live_since)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [(uuid.uuid4(), ids[slug], ars, status, "live" if status == "paused" else None, planned,
              LIVE_SINCE if status in ("live", "paused") else None) for slug, ars, status, planned in ADOPTIONS])
    return ids
