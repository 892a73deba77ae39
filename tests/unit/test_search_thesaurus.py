"""The curated thesaurus: the shipped file, its validation, and query expansion."""

from __future__ import annotations

import pytest

from efa_registry.search import text as t
from efa_registry.search import thesaurus as th


@pytest.fixture(scope="module")
def shipped() -> th.Thesaurus:
    return th.load()


def expansions(thesaurus: th.Thesaurus, term: str) -> set[str]:
    return {t.fold(e) for e in thesaurus.lookup([tok.word for tok in t.tokens(term)])}


def test_the_shipped_thesaurus_is_valid_and_large_enough(shipped):
    assert len(shipped) >= 80
    assert all(entry.expansions and all(entry.expansions) for entry in shipped.entries)


@pytest.mark.parametrize(("term", "meant"), [
    ("Kita", "kindertagesbetreuung"),
    ("Kita", "kindertagesstaette"),
    ("Kfz", "kraftfahrzeug"),
    ("Auto", "kraftfahrzeug"),
    ("Perso", "personalausweis"),
    ("Ummeldung", "wohnsitz"),
    ("Ummeldung", "meldebescheinigung"),
    ("BAföG", "ausbildungsfoerderung"),
    ("Hartz", "grundsicherung"),
    ("Bürgergeld", "grundsicherung"),
    ("Knöllchen", "bussgeldverfahren"),
    ("Bauantrag", "baugenehmigung"),
    ("Hochzeit", "eheschliessung"),
    ("Umzug", "wohnsitzmeldungen"),
    ("Führerschein", "fahrerlaubnis"),
    ("Fahrerlaubnis", "fuehrerschein"),
    ("Gewerbeschein", "gewerbe anmeldung"),
    ("Elternzeit", "elterngeld"),
    ("Mietzuschuss", "wohngeld"),
    ("Anwohnerparken", "bewohnerparkausweis"),
    ("Geburtsschein", "geburtsurkunde"),
    ("Sperrgut", "sperrmuell"),
    ("Hundesteuer", "hundehaltung"),
    ("Behindertenausweis", "schwerbehindertenausweis"),
    ("Staatsbürgerschaft", "einbuergerung"),
    ("Aufenthaltsgenehmigung", "aufenthaltstitel"),
    ("Angelschein", "fischereischein"),
    ("Waffenschein", "waffenerlaubnis"),
    ("Wunschkennzeichen", "kraftfahrzeugkennzeichen reservierung"),
    ("Auto abmelden", "kraftfahrzeug abmeldung"),
    ("Zulassungsstelle", "zulassung"),
    ("Kfz-Steuer", "kraftfahrzeugsteuer"),
])
def test_everyday_words_map_to_catalogue_wording(shipped, term, meant):
    assert meant in expansions(shipped, term)


def test_terms_match_in_either_spelling(shipped):
    assert expansions(shipped, "Knoellchen") == expansions(shipped, "Knöllchen") != set()
    assert expansions(shipped, "BUERGERGELD") == expansions(shipped, "Bürgergeld")


def test_expand_query_terms_gives_or_groups_per_word():
    groups = th.expand_query_terms(["Kita", "Gutschein"])
    assert groups[0][0] == "kita" and "kindertagesbetreuung" in groups[0]
    assert groups[1] == ["gutschein"]


def test_multi_word_terms_match_longest_first():
    groups = th.expand_query_terms(["Hartz", "4", "beantragen"])
    assert groups[0][0] == "hartz 4" and "grundsicherung" in groups[0]
    assert groups[1] == ["beantragen"]
    assert th.expand_query_terms(["Auto", "anmelden"])[0][0] == "auto anmelden"


def test_hyphenated_query_words_stay_one_word():
    assert th.expand_query_terms(["Kfz-Steuer"]) == [["kfzsteuer", "kraftfahrzeugsteuer"]]


HEADER = "term;expansions;note\n"


@pytest.mark.parametrize(("body", "reason"), [
    ("kita;Kindertagesbetreuung;a\nKITA;Kindertagesstätte;b\n", "already on line 2"),
    ("kita;;note\n", "empty expansion"),
    ("kita;Kindertagesbetreuung||Hort;note\n", "empty expansion"),
    ("kita;Kindertagesbetreuung\n", "expected 3 fields"),
    (";Kindertagesbetreuung;note\n", "empty term"),
    ("kita;Kita;note\n", "expand to itself"),
    ("kita;Hort|hort;note\n", "repeated expansion"),
])
def test_malformed_files_are_refused_with_the_line(body, reason):
    with pytest.raises(th.ThesaurusError) as failure:
        th.parse(HEADER + body)
    assert reason in str(failure.value)
    assert failure.value.problems[0][0] >= 2


def test_a_wrong_header_is_refused():
    with pytest.raises(th.ThesaurusError, match="header"):
        th.parse("begriff;synonyme\nkita;Hort\n")


def test_every_problem_is_reported_at_once():
    with pytest.raises(th.ThesaurusError) as failure:
        th.parse(HEADER + "kita;;x\nhort;;y\nkita;Hort;z\n")
    assert [line for line, _ in failure.value.problems] == [2, 3, 4]


def test_blank_lines_and_a_bom_are_tolerated():
    thesaurus = th.parse("\ufeff" + HEADER + "\nkita;Kindertagesbetreuung|Hort;x\n\n")
    assert thesaurus.lookup(["kita"]) == ("kindertagesbetreuung", "hort")


def test_a_term_is_found_also_inflected(shipped):
    assert expansions(shipped, "Kitas") == expansions(shipped, "Kita")
    assert expansions(shipped, "Bauanträge") == expansions(shipped, "Bauantrag")
    assert expansions(shipped, "Autos anmelden") == expansions(shipped, "Auto anmelden")


def test_a_term_at_the_front_of_a_compound_is_read_before_the_rest(shipped):
    known = {"anmeldung", "urkunde", "verlängerung"}.__contains__
    assert shipped.modifier("kitaanmeldung", known) == ("kita", "anmeldung")
    assert shipped.modifier("hochzeitsurkunde", known) == ("hochzeit", "urkunde")
    assert shipped.modifier("persoverlängerung", known) == ("perso", "verlängerung")
    assert shipped.modifier("kitaxyz", known) is None


@pytest.mark.parametrize(("term", "meant"), [
    ("Sorgerecht", "elterliche sorge"), ("Mülltonne", "abfallentsorgung"), ("Schank", "ausschank"),
])
def test_gaps_the_review_found_are_mapped(shipped, term, meant):
    assert meant in expansions(shipped, term)
