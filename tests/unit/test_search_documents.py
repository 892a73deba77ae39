"""The pure parts of search wiring: documents by weight, the attempts of a query, highlights."""

from __future__ import annotations

import re

import pytest

from efa_registry.search import attempts, documents, highlight, places
from tests.unit.test_search_places import PLACES
from tests.unit.test_search_query import well_formed

CATALOGUE = ["Hundehaltung", "Hundesteuer Festsetzung", "Hundesteuer Befreiung", "Gewerbe Anmeldung",
             "Gewerbeanmeldung", "Personalausweis", "Führerschein", "Steuer", "Hund", "Baugenehmigung",
             "Kindertagesbetreuung", "Wohnsitz Anmeldung", "Elterngeld", "Bauantrag", "Haltung von Tieren"]


@pytest.fixture(scope="module")
def vocab():
    return documents.catalogue_vocabulary(CATALOGUE)


class TestDocuments:
    def test_an_ozg_leistung_is_indexed_by_weight_with_its_compound_parts(self, vocab):
        doc = documents.ozg_leistung("Hundehaltung", ["Hundesteuer Festsetzung", "Hundesteuer Festsetzung"],
                                     ["Tierhaltung"], "Engagement & Hobby", vocab)
        assert doc.a.startswith("Hundehaltung") and "hund" in doc.a.split()
        assert doc.b.count("Hundesteuer Festsetzung") == 1  # repeats are one fact
        assert "steuer" in doc.b.split()
        assert "Tierhaltung" in doc.c and "Engagement & Hobby" in doc.c and doc.d == ""

    def test_a_solution_spreads_its_texts_over_the_four_weights(self, vocab):
        texts = documents.SolutionTexts(name="Gewerbeanmeldung digital", summary="Gewerbe anmelden",
                                        tags=["Wirtschaft"], ozg_names=["Unternehmensanmeldung"],
                                        interfaces=["XGewerbeanzeige xoev"], organisations=["Saarland"],
                                        description="Für Unternehmen.",
                                        leika_names=["Gewerbe Anmeldung"])
        doc = documents.solution(texts, vocab)
        assert "anmeldung" in doc.a.split()
        assert "Wirtschaft" in doc.b and "Unternehmensanmeldung" in doc.b
        assert "XGewerbeanzeige" in doc.c and "Saarland" in doc.c
        assert "Für Unternehmen." in doc.d and "Gewerbe Anmeldung" in doc.d

    def test_a_document_without_a_field_leaves_it_empty(self, vocab):
        texts = documents.SolutionTexts("Bauantrag", None, [], [], [], [], None, [])
        assert documents.solution(texts, vocab)[1:] == ("", "", "")

    def test_the_solutions_vocabulary_adds_their_words_and_keeps_the_catalogues_parts(self, vocab):
        words = documents.solutions_vocabulary(vocab, ["Dataport betreibt das Zauberportal"])
        assert "dataport" in words and "zauberportal" in words and "hundehaltung" in words
        assert words.parts == vocab.parts and "dataport" not in vocab

    def test_the_weighted_sql_names_each_field_once(self):
        sql = documents.TSVECTOR_SQL.format("a", "b", "c", "d")
        assert [w for w in re.findall(r"'([ABCD])'\)", sql)] == ["A", "B", "C", "D"]


class TestAttempts:
    def test_a_typo_is_searched_as_typed_then_corrected(self, vocab):
        plan = attempts.plan("Hundesteur", vocab)
        assert plan.did_you_mean == "hundesteuer"
        assert [(a.corrected_from, a.relaxed) for a in plan.attempts] == [(None, False), ("Hundesteur", False)]
        assert "hundesteuer" not in plan.attempts[0].tsquery and "hundesteuer" in plan.attempts[1].tsquery

    def test_known_words_are_one_attempt_and_several_get_a_relaxed_one(self, vocab):
        assert [a.relaxed for a in attempts.plan("Elterngeld", vocab).attempts] == [False]
        plan = attempts.plan("Elterngeld Bauantrag", vocab)
        assert [a.relaxed for a in plan.attempts] == [False, True]
        assert " | " in plan.attempts[1].tsquery and plan.did_you_mean is None

    @pytest.mark.parametrize("text", ["", "und die", "!!!", "—"])
    def test_nothing_searchable_is_no_attempt(self, vocab, text):
        assert attempts.plan(text, vocab).attempts == []

    def test_every_attempt_and_its_variants_are_well_formed(self, vocab):
        for text in ("Hundesteur online", "Kita-Platz Wohnsitz", "Führerschien Bauantrag", "a'b\\c & | ! ( )"):
            for attempt in attempts.plan(text, vocab).attempts:
                for tsquery in (attempt.tsquery, attempt.in_name, attempt.any_word):
                    assert well_formed(tsquery.replace(":*A", ":*").replace(":A", "")), tsquery

    def test_named_restricts_every_lexeme_to_the_name(self):
        assert attempts.named("'hund':* & ('steuer' | 'abgabe':*)") == "'hund':*A & ('steuer':A | 'abgabe':*A)"

    def test_any_word_matches_each_lexeme_alone(self):
        attempt = attempts.Attempt("'hund':* & ('steuer' | 'hund':*)", None, False)
        assert attempt.any_word == "'hund':* | 'steuer'"
        assert attempt.lexemes == [("hund", True), ("steuer", False)] and attempt.words == ["hund", "steuer"]


def matcher(vocab, *stems: tuple[str, bool]) -> highlight.Matcher:
    """A matcher for query words with these stems, as PostgreSQL's german stemmer makes them."""
    return highlight.Matcher(list(stems), vocab)


class TestHighlight:
    def test_everything_is_escaped_and_only_the_matches_are_marked(self, vocab):
        marked = highlight.mark("Gewerbeanmeldung <b>jetzt</b> & Anmeldung", matcher(vocab, ("anmeld", True)))
        assert marked == "<mark>Gewerbeanmeldung</mark> &lt;b&gt;jetzt&lt;/b&gt; &amp; <mark>Anmeldung</mark>"

    def test_a_word_matches_by_a_hyphen_or_compound_part_and_without_umlauts(self, vocab):
        m = matcher(vocab, ("kita", True), ("steuer", True), ("fuhrerschein", True))
        assert highlight.mark("Kita-Gutschein", m) == "<mark>Kita-Gutschein</mark>"
        assert highlight.mark("Hundesteuer und Steuern", m) == "<mark>Hundesteuer</mark> und <mark>Steuern</mark>"
        assert highlight.mark("Führerschein", m) == "<mark>Führerschein</mark>"
        assert highlight.mark("Kitsch und Steuben", m) == "Kitsch und Steuben"

    def test_an_exact_query_word_matches_its_inflections_only(self, vocab):
        m = matcher(vocab, ("bau", False))
        assert highlight.mark("Bau, Baus, Baum", m) == "<mark>Bau</mark>, <mark>Baus</mark>, Baum"

    def test_a_snippet_is_cut_around_the_first_match(self, vocab):
        text = " ".join(f"Wort{i}" for i in range(40)) + " Hundesteuer " + " ".join(f"Satz{i}" for i in range(40))
        m = matcher(vocab, ("hundesteu", True))
        snippet = highlight.snippet([None, "ohne Treffer", text], m, size=9)
        assert snippet.startswith("… Wort37") and snippet.endswith("Satz4 …")  # 3 words before, 9 in all
        assert "<mark>Hundesteuer</mark>" in snippet
        assert highlight.snippet(["nichts hier"], m) is None

    def test_passages_are_the_first_matching_texts(self, vocab):
        texts = ["Hundesteuer Festsetzung", "Tierheim", "Hundesteuer Befreiung", "Hundesteuer Erlass"]
        m = matcher(vocab, ("hundesteu", True))
        assert highlight.passages(texts, m, 2) == (
            "<mark>Hundesteuer</mark> Festsetzung · <mark>Hundesteuer</mark> Befreiung")
        assert highlight.passages(["Tierheim"], m, 2) is None

    def test_no_stems_mark_nothing(self, vocab):
        assert highlight.mark("Hund <Katze>", matcher(vocab)) == "Hund &lt;Katze&gt;"


@pytest.fixture(scope="module")
def index():
    return places.build_index(PLACES)


class TestPlaceSearch:
    def test_a_name_lists_every_area_it_may_mean_best_first(self, index):
        found = places.search("Mülheim", index)
        assert {m.ars for m in found[:3]} == {"051170000000", "072315001090", "071375008216"}
        assert all(m.score >= places.UNKNOWN_BELOW for m in found)

    def test_a_name_typed_half_way_is_completed_most_populous_first(self, index):
        # One area at several levels: the Gemeinde first; then by population.
        assert [m.ars for m in places.complete("Mülh", index, 4)] == ["051170000000", "05117", "051170000",
                                                                      "071375008216"]
        assert places.complete("m", index) == []
        assert {m.name for m in places.complete("muenc", index)} == {"München, Landeshauptstadt", "München"}
