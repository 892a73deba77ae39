"""Pure scorecard rules: coverage keys (the rollout's rule), kinds from the GV100AD, peer band and
text, shared ranks, depth per Reifegrad model, own and inherited adopters."""

from __future__ import annotations

import pytest

from efa_registry.rollout.rules import covers
from efa_registry.scorecard import rules
from efa_registry.scorecard.model import Depth

UNITS = ["05", "051", "05112", "051120000", "051120000000", "071315001004", "0811", "081110000000"]


@pytest.mark.parametrize("unit", UNITS)
def test_prefix_keys_are_exactly_the_adopters_that_cover_a_unit(unit):
    candidates = {unit[:n] for n in range(1, len(unit) + 1)}
    assert set(rules.prefix_keys(unit)) == {k for k in candidates if covers(k, unit)}


def test_the_unit_index_inverts_the_prefix_keys():
    index = rules.unit_index(["071315001001", "071315001004", "07131"])
    assert index["071315001"] == ["071315001001", "071315001004"]
    assert index["07131"] == ["071315001001", "071315001004", "07131"]
    assert "0713" not in index  # a four-digit key (a Region) covers nothing


@pytest.mark.parametrize(("level", "gemeinden", "kreis_tk", "kreis_gemeinden", "gemeinde_tk", "kind"), [
    ("kreis", 1, "41", 1, None, "kreisfreie_stadt"),  # Duisburg, Stadt
    ("kreis", 1, "42", 1, None, "kreisfreie_stadt"),  # Stuttgart, Stadtkreis
    ("kreis", 10, "43", 10, None, "kreis"),  # Mettmann
    ("kreis", 21, "44", 21, None, "kreis"),  # Region Hannover is a Landkreis
    ("kreis", 10, "45", 10, None, "kreis"),  # Regionalverband Saarbrücken
    ("kreis", 1, None, 1, None, "kreisfreie_stadt"),  # no Textkennzeichen: one Gemeinde
    ("kreis", 3, None, 3, None, "kreis"),
    ("gemeinde", 1, "41", 1, "61", "kreisfreie_stadt"),
    ("gemeinde", 1, "43", 10, "63", "kreisangehoerige_gemeinde"),  # Hilden, Stadt
    ("gemeinde", 1, None, 5, "61", "kreisfreie_stadt"),
    ("gemeinde", 1, None, 1, None, "kreisfreie_stadt"),
    ("gemeinde", 1, None, 4, None, "kreisangehoerige_gemeinde"),
    ("gemeindeverband", 1, "43", 10, "63", "kreisangehoerige_gemeinde"),  # a verbandsfreie Gemeinde
    ("gemeindeverband", 1, "41", 1, "61", "kreisfreie_stadt"),
    ("gemeindeverband", 33, "44", 60, None, "gemeindeverband"),  # VG Adenau
])
def test_kind(level, gemeinden, kreis_tk, kreis_gemeinden, gemeinde_tk, kind):
    assert rules.kind(level, gemeinden, kreis_textkennzeichen=kreis_tk, kreis_gemeinden=kreis_gemeinden,
                      gemeinde_textkennzeichen=gemeinde_tk) == kind


@pytest.mark.parametrize(("population", "band"), [
    (502_270, (251_135, 1_004_540)), (55_157, (27_579, 110_314)), (1, (1, 2)), (None, None), (0, None)])
def test_the_population_band_is_half_to_twice_inclusive(population, band):
    assert rules.population_band(population) == band


def test_the_rule_text_is_german_with_german_numbers():
    text = rules.peer_rule_text("kreisfreie_stadt", "Nordrhein-Westfalen", (251_135, 1_004_540))
    assert text == ("Verglichen wird mit allen kreisfreien Städten in Nordrhein-Westfalen mit 251.135 bis 1.004.540"
                    " Einwohnerinnen und Einwohnern (halb bis doppelt so viele wie in diesem Gebiet). Rang nach der"
                    " Zahl der OZG-Leistungen, die dort vollständig online nutzbar sind; bei Gleichstand teilen sich"
                    " Gebiete einen Rang, der nächste wird übersprungen (1, 1, 3).")
    assert "mit allen Kreisen in Hessen" in rules.peer_rule_text("kreis", "Hessen", (1, 2))
    assert "keine Vergleichsgruppe" in rules.peer_rule_text("kreis", "Saarland", None)


@pytest.mark.parametrize(("values", "ranks"), [
    ({"a": 5, "b": 3, "c": 3, "d": 1}, {"a": 1, "b": 2, "c": 2, "d": 4}),
    ({"a": 4, "b": 4, "c": 3}, {"a": 1, "b": 1, "c": 3}),
    ({"a": 0}, {"a": 1}),
])
def test_equal_values_share_a_rank_and_the_next_is_skipped(values, ranks):
    assert rules.shared_ranks(values) == ranks


def test_nearest_by_population_ratio_then_key():
    candidates = [("a", 100), ("b", 400), ("c", 250), ("d", 50), ("e", 50)]
    assert rules.nearest(candidates, 100, n=3) == ["a", "d", "e"]  # 50 is as near as 200 would be


def test_the_deepest_level_per_model_never_mixes_models():
    assert rules.deepest([("a", "2.0", 4), ("b", "1.1", 3), ("c", "2.0", 7), ("d", "2.0", 7), ("e", None, None)]) == [
        Depth(model="1.1", reifegrad=3, solutions=["b"]), Depth(model="2.0", reifegrad=7, solutions=["c", "d"])]
    assert rules.deepest([("e", None, None)]) == []


def test_the_distribution_counts_each_model_and_what_has_no_reifegrad():
    dist = rules.distribution([[Depth(model="2.0", reifegrad=7, solutions=["x"])],
                               [Depth(model="1.1", reifegrad=3, solutions=["y"]),
                                Depth(model="2.0", reifegrad=7, solutions=["z"])], []])
    assert [(m.model, m.leistungen, [lc.leistungen for lc in m.levels]) for m in dist.models] == [
        ("1.1", 1, [0, 0, 0, 1, 0]), ("2.0", 2, [0, 0, 0, 0, 0, 0, 0, 2])]
    assert dist.without_reifegrad == 1


@pytest.mark.parametrize(("adopter", "origin"), [
    ("05158", "own"), ("051580016016", "own"), ("051580016", "own"), ("05", "inherited"), ("051", "inherited")])
def test_own_is_the_area_and_what_lies_inside_it(adopter, origin):
    assert rules.origin(adopter, "05158", frozenset({"05158"})) == origin


def test_the_same_authority_under_a_wider_key_is_own():
    assert rules.origin("05112", "051120000000", frozenset({"051120000000", "05112", "051120000"})) == "own"
