"""Hand-typed place and authority names against GV100AD names: scores, verdicts, hints."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from efa_registry.search import places as p
from efa_registry.search.places import Place

# Real GV100AD records (names, levels and ARS as in the edition of 30.11.2025), a few per case.
PLACES = [
    Place("05", "Nordrhein-Westfalen", "land", "05"),
    Place("05117", "Mülheim an der Ruhr, Stadt", "kreis", "05", population=173050),
    Place("051170000", "Mülheim an der Ruhr, Stadt", "gemeindeverband", "05", population=173050),
    Place("051170000000", "Mülheim an der Ruhr, Stadt", "gemeinde", "05", population=173050),
    Place("071375008216", "Mülheim-Kärlich, Stadt", "gemeinde", "07", population=11159),
    Place("072315001090", "Mülheim an der Mosel", "gemeinde", "07", population=934),
    Place("09162", "München, Landeshauptstadt", "kreis", "09", population=1505005),
    Place("091620000000", "München, Landeshauptstadt", "gemeinde", "09", population=1505005),
    Place("09184", "München", "kreis", "09", population=354396),
    Place("07316", "Neustadt an der Weinstraße, kreisfreie Stadt", "kreis", "07", population=52945),
    Place("073160000000", "Neustadt an der Weinstraße, Stadt", "gemeinde", "07", population=52945),
    Place("065340016016", "Neustadt (Hessen), Stadt", "gemeinde", "06", population=9316),
    Place("071385001044", "Neustadt (Wied)", "gemeinde", "07", population=6526),
    Place("092730152152", "Neustadt a.d.Donau, St", "gemeinde", "09", population=14778),
    Place("064120000000", "Frankfurt am Main, Stadt", "gemeinde", "06", population=756021),
    Place("120530000000", "Frankfurt (Oder), Stadt", "gemeinde", "12", population=57107),
    Place("150020000000", "Halle (Saale), Stadt", "gemeinde", "15", population=226767),
    Place("057540012012", "Halle (Westf.), Stadt", "gemeinde", "05", population=21393),
    Place("032555408016", "Halle", "gemeinde", "03", population=1400),
    Place("034565404008", "Halle", "gemeinde", "03", population=652),
    Place("06438", "Offenbach", "kreis", "06", population=358022),
    Place("064130000000", "Offenbach am Main, Stadt", "gemeinde", "06", population=132746),
    Place("073375007061", "Offenbach an der Queich", "gemeinde", "07", population=6305),
    Place("10046", "St. Wendel", "kreis", "10", population=87813),
    Place("100460117117", "St. Wendel, Kreisstadt", "gemeinde", "10", population=25441),
    Place("053820056056", "Sankt Augustin, Stadt", "gemeinde", "05", population=56521),
    Place("05382", "Rhein-Sieg-Kreis", "kreis", "05", population=608000),
    Place("08136", "Ostalbkreis", "kreis", "08", population=316000),
    Place("02", "Hamburg", "land", "02", population=1862565),
    Place("02000", "Hamburg, Freie und Hansestadt", "kreis", "02", population=1862565),
    Place("020000000000", "Hamburg, Freie und Hansestadt", "gemeinde", "02", population=1862565),
    Place("010030000000", "Lübeck, Hansestadt", "gemeinde", "01", population=218095),
    Place("051110000000", "Düsseldorf, Stadt", "gemeinde", "05", population=629047),
    Place("12", "Brandenburg", "land", "12", population=2556747),
    Place("120510000000", "Brandenburg an der Havel, Stadt", "gemeinde", "12", population=72040),
    Place("064340001001", "Bad Homburg v. d. Höhe, Stadt", "gemeinde", "06", population=54000),
    Place("091750127127", "Markt Schwaben, M", "gemeinde", "09", population=13900),
    Place("081150050050", "Weil der Stadt, Stadt", "gemeinde", "08", population=19500),
    Place("091810145145", "Weil", "gemeinde", "09", population=3800),
    Place("120665606168", "Kroppen", "gemeinde", "12", population=650),
    Place("073405003026", "Kröppen", "gemeinde", "07", population=160),
    Place("095710193193", "Rothenburg ob der Tauber, GKSt", "gemeinde", "09", population=11300),
    Place("095715501", "Rothenburg ob der Tauber (VGem)", "gemeindeverband", "09", population=13500),
    Place("13003", "Rostock", "kreis", "13", population=205307),
    Place("130030000000", "Rostock, Hanse- und Universitätsstadt", "gemeinde", "13", population=205307),
    Place("13072", "Landkreis Rostock", "kreis", "13", population=218721),
    Place("11", "Berlin", "land", "11", population=3685265),
    Place("110000000000", "Berlin, Stadt", "gemeinde", "11", population=3685265),
    Place("091720114114", "Bad Reichenhall, GKSt", "gemeinde", "09", population=19000),
    Place("05162", "Rhein-Kreis Neuss", "kreis", "05", population=450000),
    Place("051620024024", "Neuss, Stadt", "gemeinde", "05", population=155000),
    Place("09363", "Weiden i.d.OPf.", "kreis", "09", population=42444, textkennzeichen="41"),
    Place("093630000000", "Weiden i.d.OPf.", "gemeinde", "09", population=42444, textkennzeichen="61"),
    Place("071345005091", "Weiden", "gemeinde", "07", population=81, textkennzeichen="64"),
    Place("03403", "Oldenburg (Oldb), Stadt", "kreis", "03", population=176614, textkennzeichen="41"),
    Place("034030000000", "Oldenburg (Oldb), Stadt", "gemeinde", "03", population=176614, textkennzeichen="61"),
    Place("03458", "Oldenburg", "kreis", "03", population=134000, textkennzeichen="44"),
    Place("010550033033", "Oldenburg in Holstein, Stadt", "gemeinde", "01", population=9711, textkennzeichen="63"),
    Place("083110000000", "Freiburg im Breisgau, Stadt", "gemeinde", "08", population=237460, textkennzeichen="62"),
    Place("093760147147", "Neunburg vorm Wald, St", "gemeinde", "09", population=8093, textkennzeichen="63"),
    Place("12052", "Cottbus, Stadt", "kreis", "12", population=95123, textkennzeichen="41"),
    Place("120520000000", "Cottbus/Chóśebuz, Stadt", "gemeinde", "12", population=95123, textkennzeichen="61"),
    Place("14625", "Bautzen", "kreis", "14", population=290000, textkennzeichen="44"),
    Place("146250020020", "Bautzen / Budyšin, Stadt, Hochschulstadt / Wysokošulske město", "gemeinde", "14",
          population=37566, textkennzeichen="63"),
    Place("010595915", "Lauenburg/ Elbe, Stadt", "gemeindeverband", "01", population=11500),
    Place("034575009", "Elbe", "gemeinde", "03", population=1600),
    Place("033535403", "Hollenstedt", "gemeindeverband", "03", population=12000),
    Place("033535403019", "Hollenstedt", "gemeinde", "03", population=3771, textkennzeichen="64"),
    Place("071375003077", "Münk", "gemeinde", "07", population=257, textkennzeichen="64"),
]


@pytest.fixture(scope="module")
def index() -> p.PlaceIndex:
    return p.build_index(PLACES)


@pytest.mark.parametrize(("typed", "official"), [
    ("München", "München, Landeshauptstadt"),
    ("Muenchen", "München, Landeshauptstadt"),
    ("Landeshauptstadt München", "München, Landeshauptstadt"),
    ("Mülheim a.d. Ruhr", "Mülheim an der Ruhr, Stadt"),
    ("Muelheim an der Ruhr", "Mülheim an der Ruhr, Stadt"),
    ("Stadt Mülheim an der Ruhr", "Mülheim an der Ruhr, Stadt"),
    ("Mülheim Kärlich", "Mülheim-Kärlich, Stadt"),
    ("Frankfurt/Main", "Frankfurt am Main, Stadt"),
    ("Frankfurt Oder", "Frankfurt (Oder), Stadt"),
    ("Halle/Saale", "Halle (Saale), Stadt"),
    ("St. Augustin", "Sankt Augustin, Stadt"),
    ("Hansestadt Lübeck", "Lübeck, Hansestadt"),
    ("Rhein Sieg Kreis", "Rhein-Sieg-Kreis"),
    ("Kreis Rhein-Sieg", "Rhein-Sieg-Kreis"),
    ("Landkreis München", "München"),
    ("Neustadt a. d. Weinstrasse", "Neustadt an der Weinstraße, Stadt"),
    ("Weil der Stadt", "Weil der Stadt, Stadt"),
    ("Markt Schwaben", "Markt Schwaben, M"),
])
def test_the_same_name_written_differently_scores_one(typed, official):
    assert p.score(typed, official) == 1.0


@pytest.mark.parametrize(("typed", "official", "low", "high"), [
    ("Mülheim", "Mülheim an der Ruhr, Stadt", 0.85, 0.95),    # the directory's name is qualified
    ("Mülheim", "Mülheim-Kärlich, Stadt", 0.85, 0.95),        # the first words of a longer name
    ("Frankfurt a.M.", "Frankfurt am Main, Stadt", 0.9, 0.99),  # an abbreviated qualifier
    ("Halle Westfalen", "Halle (Westf.), Stadt", 0.9, 0.99),
    ("Düsseldorff", "Düsseldorf, Stadt", 0.72, 0.95),          # a typo
    ("Munchen", "München, Landeshauptstadt", 0.9, 0.99),       # umlaut dots left out
    ("Halle (Saale)", "Halle (Westf.), Stadt", 0.0, 0.6),      # another qualifier
    ("Weil", "Weil der Stadt, Stadt", 0.8, 0.95),              # "der Stadt" is part of the name
    ("Kroppen", "Kröppen", 0.0, 0.96),
    ("Hamburg", "Offenbach", 0.0, 0.1),
])
def test_scores_order_near_and_far_names(typed, official, low, high):
    assert low <= p.score(typed, official) <= high


@pytest.mark.parametrize(("typed", "hint", "verdict", "ars"), [
    ("München", None, "exact", "091620000000"),             # the city, not the Landkreis of that name
    ("Landkreis München", None, "exact", "09184"),
    ("Lkr. München", None, "exact", "09184"),
    ("Mülheim an der Ruhr", None, "exact", "051170000000"),  # one area though listed at three levels
    ("Mülheim a. d. Ruhr", None, "exact", "051170000000"),
    ("Mülheim", None, "ambiguous", None),
    ("Mülheim", "NW", "probable", "051170000000"),           # a Land hint separates
    ("Mülheim", "05", "probable", "051170000000"),
    ("Neustadt", None, "ambiguous", None),
    ("Neustadt", "Rheinland-Pfalz", "ambiguous", None),     # still two there
    ("Neustadt", "DE-HE", "probable", "065340016016"),
    ("Neustadt, Hessen", None, "exact", "065340016016"),     # a Land named as the qualifier
    ("Frankfurt", None, "ambiguous", None),
    ("Frankfurt a.M.", None, "probable", "064120000000"),
    ("Halle", None, "ambiguous", None),                      # two Gemeinden named exactly Halle
    ("Halle (Saale)", None, "exact", "150020000000"),
    ("Offenbach", None, "ambiguous", None),                  # the Kreis and Offenbach am Main
    ("Kreis Offenbach", None, "exact", "06438"),
    ("Stadt Offenbach", None, "probable", "064130000000"),   # the Stadt, not the Ortsgemeinde
    ("St. Wendel", None, "exact", "100460117117"),           # the Kreisstadt before the Kreis
    ("Landkreis St. Wendel", None, "exact", "10046"),
    ("Hamburg", None, "exact", "020000000000"),
    ("Freie und Hansestadt Hamburg", None, "exact", "020000000000"),
    ("Brandenburg", None, "exact", "12"),                    # the Land's name exactly; the city's is longer
    ("Stadt Brandenburg", None, "probable", "120510000000"),
    ("NRW", None, "exact", "05"),                            # a Land by its abbreviation
    ("Berlin-Mitte", None, "probable", "110000000000"),     # a Bezirk is no area: its city, not sure
    ("Reichenhall", None, "probable", "091720114114"),      # "Bad" left out
    ("Kreis Neuss", None, "probable", "05162"),              # the Rhein-Kreis Neuss, not the Stadt Neuss
    ("Land Brandenburg", None, "exact", "12"),
    ("Düsseldorff", None, "probable", "051110000000"),
    ("Munchen", None, "probable", "091620000000"),
    ("Kroppen", None, "exact", "120665606168"),              # spelt as typed beats spelt without dots
    ("Bad Homburg", None, "probable", "064340001001"),
    ("Rothenburg ob der Tauber", None, "exact", "095710193193"),  # the town before its VGem
    ("Rostock", None, "exact", "130030000000"),
    ("Landkreis Rostock", None, "exact", "13072"),           # not the kreisfreie Stadt's Kreis record
    ("Ostalbkreis", None, "exact", "08136"),
    ("Weiden in der Oberpfalz", None, "probable", "093630000000"),  # an abbreviation of its letters: OPf
    ("Weiden Oberpfalz", None, "probable", "093630000000"),
    ("Oldenburg (Oldenburg)", None, "probable", "034030000000"),     # Oldb
    ("Freiburg i.Brsg.", None, "probable", "083110000000"),
    ("Neunburg v. Wald", None, "exact", "093760147147"),             # "vorm" joins the name and its place
    ("Weiden", None, "ambiguous", None),                      # the village so named, and the city people mean
    ("Oldenburg", None, "ambiguous", None),                   # the Landkreis and the Stadt
    ("Cottbus", None, "exact", "120520000000"),                # a bilingual name is each of its names
    ("Chóśebuz", None, "exact", "120520000000"),
    ("Chosebuz", None, "exact", "120520000000"),
    ("Budyšin", None, "exact", "146250020020"),
    ("Bautzen", None, "exact", "146250020020"),                # the town, as for München
    ("Elbe", None, "exact", "034575009"),                     # a qualifier after a slash is no name
    ("SG Hollenstedt", None, "exact", "033535403"),           # Samtgemeinde abbreviated
    ("091620000000", None, "exact", "091620000000"),          # an ARS
    ("09162000", None, "exact", "091620000000"),              # an AGS: the ARS without the Verband
    ("09 162 000", None, "exact", "091620000000"),
    ("09162", None, "unknown", None),                         # five digits: a Kreis key or a Postleitzahl
    ("09162", "BY", "exact", "09162"),                        # … the Kreis where the hint puts it
    ("09162", "NW", "unknown", None),
    ("99999999", None, "unknown", None),
    ("Munich", None, "exact", "091620000000"),                 # the English name
    ("Cologne", None, "unknown", None),                        # Köln is not among these records
    ("Xylophonhausen", None, "unknown", None),
    ("", None, "unknown", None),
    ("!!!", None, "unknown", None),
])
def test_rank_resolves_or_flags(index, typed, hint, verdict, ars):
    result = p.rank(typed, index, hint_land=hint)
    assert (result.verdict, result.ars) == (verdict, ars)


def test_ambiguous_names_list_the_candidates_and_guess_none(index):
    result = p.rank("Mülheim", index)
    assert result.ars is None and result.name is None
    assert {"051170000000", "071375008216", "072315001090"} <= {m.ars for m in result.alternatives}


def test_equally_good_candidates_are_never_decided_by_population():
    twins = [Place("1", "Hausen", "gemeinde", "09", population=100_000), Place("2", "Hausen", "gemeinde", "07",
                                                                                population=10)]
    assert p.rank("Hausen", twins).verdict == "ambiguous"


def test_a_contradicting_hint_makes_a_unique_name_only_probable(index):
    assert p.rank("Düsseldorf", index).verdict == "exact"
    assert p.rank("Düsseldorf", index, hint_land="BY")[1:3] == ("probable", "051110000000")


@pytest.mark.parametrize(("typed", "first", "then"), [
    ("Halle", "150020000000", "032555408016"),    # Halle (Saale) before the villages named Halle
    ("Weiden", "093630000000", "071345005091"),
    ("Oldenburg", "034030000000", "03458"),       # the Stadt before the Landkreis
    ("Offenbach", "064130000000", "06438"),
])
def test_a_bare_name_lists_the_town_known_by_it_first(index, typed, first, then):
    found = [m.ars for m in p.matches(typed, index)]
    assert found.index(first) < found.index(then)
    assert {first, then} <= {m.ars for m in p.rank(typed, index).alternatives}


def test_a_town_far_smaller_than_its_exact_namesake_does_not_join_it():
    towns = [Place("1", "Musterhausen", "gemeinde", "09", population=50_000),
             Place("2", "Musterhausen (Oberpfalz), Stadt", "gemeinde", "09", population=60_000,
                   textkennzeichen="63")]
    assert p.rank("Musterhausen", towns)[1:3] == ("exact", "1")


def test_names_begun_come_before_near_misses_as_someone_types(index):
    found = [m.name for m in p.search("Mün", index)]
    assert found.index("München, Landeshauptstadt") < found.index("Münk")


def test_a_kreis_hint_separates_too(index):
    result = p.rank("Halle", index, hint_kreis="03255")
    assert (result.verdict, result.ars) == ("exact", "032555408016")


@pytest.mark.parametrize("record", [
    SimpleNamespace(ars="091620000000", name="München, Landeshauptstadt", level="gemeinde", land="09", population=1),
    {"ars": "091620000000", "name": "München, Landeshauptstadt", "level": "gemeinde", "land": "09"},
    ("091620000000", "München, Landeshauptstadt", "gemeinde", "09", "09162", 1505005),
])
def test_candidates_may_be_any_records_with_the_fields(record):
    assert p.rank("Muenchen", [record]).ars == "091620000000"


def test_a_resolved_name_lists_its_runners_up(index):
    result = p.rank("München", index)
    assert result.verdict == "exact" and "09184" in {m.ars for m in result.alternatives}


@pytest.mark.parametrize(("hint", "key"), [("06", "06"), ("6", "06"), ("DE-HE", "06"), ("he", "06"),
                                           ("Hessen", "06"), ("Baden-Württemberg", "08"), ("NRW", "05"),
                                           ("Atlantis", None), (None, None)])
def test_land_hints_in_every_usual_form(hint, key):
    assert p.land_key(hint) == key


@pytest.mark.parametrize(("typed", "first"), [
    ("St. Wen", "10046"),   # "St." read as Sankt, as the names are; the Kreis is the more populous
    ("Sankt Wen", "10046"),
    ("Mülheim a.d.", "051170000000"),  # a joining word not yet followed by anything
    ("Landkreis Mü", "09184"),  # the kind chooses the level: no Gemeinde, no kreisfreie Stadt
    ("Kreis Offen", "06438"),
])
def test_a_name_begun_is_completed_as_the_names_are_read(index, typed, first):
    assert p.complete(typed, index)[0].ars == first


@pytest.mark.parametrize(("typed", "kind"), [
    ("Ostseebad Binz", "gemeinde"), ("Kurort Oberwiesenthal", "gemeinde"),
    ("Universitäts- und Hansestadt Greifswald", "stadt"), ("Hanse- und Universitätsstadt Rostock", "stadt"),
])
def test_designations_in_front_are_kind_words(typed, kind):
    from efa_registry.search.placenames import parse

    form = parse(typed)
    assert len(form.core) == 1 and form.kind == kind


def test_a_region_as_qualifier_is_a_land_hint():
    index = p.build_index([Place("055150000000", "Münster, Stadt", "gemeinde", "05", population=320946),
                           Place("064320015015", "Münster", "gemeinde", "06", population=14623),
                           Place("097725758400", "Münster", "gemeinde", "09", population=1500)])
    assert p.rank("Münster (Westf.)", index).ars == "055150000000"
