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
from tests.area_rows import einheitsgemeinde, insert_areas, kreisfreie_stadt

AREAS = [
    # ars, ags, name, level, textkennzeichen, parent, population
    ("05", None, "Nordrhein-Westfalen", "land", None, None, 18_034_454),
    ("051", None, "Reg.-Bez. Düsseldorf", "regierungsbezirk", None, "05", 5_244_379),
    *kreisfreie_stadt("05111", "Düsseldorf, Stadt", "051", 618_685),
    *kreisfreie_stadt("05112", "Duisburg, Stadt", "051", 502_270),
    *kreisfreie_stadt("05113", "Essen, Stadt", "051", 574_682),
    ("05158", None, "Mettmann", "kreis", "43", "051", 490_910),
    *einheitsgemeinde("051580016016", "Hilden, Stadt", "63", 55_157),
    *einheitsgemeinde("051580028028", "Ratingen, Stadt", "63", 89_368),
    *einheitsgemeinde("051580032032", "Velbert, Stadt", "63", 82_463),
    ("05162", None, "Rhein-Kreis Neuss", "kreis", "43", "051", 457_077),
    *einheitsgemeinde("051620024024", "Neuss, Stadt", "63", 154_317),
    *einheitsgemeinde("051620028028", "Rommerskirchen", "64", 14_079),
    ("059", None, "Reg.-Bez. Arnsberg", "regierungsbezirk", None, "05", 3_571_898),
    *kreisfreie_stadt("05911", "Bochum, Stadt", "059", 358_676),
    *kreisfreie_stadt("05915", "Hamm, Stadt", "059", 179_968),
    ("07", None, "Rheinland-Pfalz", "land", None, None, 4_129_569),
    ("071", None, "früher: Reg.-Bez. Koblenz", "regierungsbezirk", None, "07", 1_530_208),
    *kreisfreie_stadt("07111", "Koblenz, Stadt", "071", 113_378, kreis_name="Koblenz, kreisfreie Stadt"),
    ("07131", None, "Ahrweiler", "kreis", "44", "071", 129_353),
    ("071315001", None, "Adenau", "gemeindeverband", "53", "07131", 12_894),
    ("071315001001", "07131001", "Adenau, Stadt", "gemeinde", "63", "071315001", 2_935),
    ("071315001004", "07131004", "Antweiler", "gemeinde", "64", "071315001", 476),
    ("071315001005", "07131005", "Aremberg", "gemeinde", "64", "071315001", 196),
]
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
LIVE = {  # adopting area: the solutions live there
    "05": ["elterngeld-digital"],
    "05158": ["kfz-zulassung", "wohnsitzanmeldung"],
    "051580016016": ["meldebescheinigung"],
    "051580028028": ["meldebescheinigung-klassisch"],
    "05112": ["kfz-zulassung"],
    "051120000000": ["wohngeld-alt",  # retired: counts for nothing
                     "meldebescheinigung", "melderegisterauskunft", "meldebescheinigung-klassisch"],
    "059150000000": ["wohnsitzanmeldung", "meldebescheinigung", "kita-platz"],
    "05915": ["digitaler-bauantrag"],
    "059110000000": ["meldebescheinigung"],
    "05911": ["kfz-zulassung"],
    "05111": ["kfz-zulassung"],
    "051110000000": ["meldebescheinigung", "wohnsitzanmeldung"],
    "05162": ["kita-platz"],
    "07131": ["kfz-zulassung"],
    "071315001": ["wohnsitzanmeldung"],
    "071315001001": ["meldebescheinigung"],
}
NOT_LIVE = [  # solution, adopting area, status, planned go-live
    ("meldebescheinigung", "051580032032", "onboarding", D(2026, 3, 1)),
    ("wohnsitzanmeldung", "051120000000", "interested", None),
    ("digitaler-bauantrag", "05112", "agreed", D(2026, 6, 30)),
    ("wohnsitzanmeldung", "059", "onboarding", D(2026, 9, 1)),
    ("wohnsitzanmeldung", "051130000000", "paused", None),
]
ADOPTIONS = [(slug, ars, "live", None) for ars, slugs in LIVE.items() for slug in slugs] + NOT_LIVE
LIVE_SINCE = D(2024, 5, 17)


async def load() -> dict[str, uuid.UUID]:
    """Write the data (the caller cleaned the database); returns slug → solution id."""
    ids = {slug: uuid.uuid4() for slug, *_ in SOLUTIONS}
    async with db.transaction() as conn:
        await insert_areas(conn, AREAS)
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
