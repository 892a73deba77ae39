"""Typo correction against the index vocabulary: distance, candidates, suggestions, speed."""

from __future__ import annotations

import random
import string
import time

import pytest

from efa_registry.search import spelling
from efa_registry.search.compounds import build_vocabulary
from efa_registry.search.vocabulary import Vocabulary

TEXTS = [
    "Hundesteuer", "Hundesteuer Befreiung", "Personalausweis", "Personalausweis Ausstellung", "Führerschein",
    "Führerschein Umtausch", "Gewerbe Anmeldung", "Gewerbe Abmeldung", "Kindergeld", "Elterngeld", "Wohngeld",
    "Meldebescheinigung", "Baugenehmigung", "Aufenthaltstitel", "Fischereischein", "Reisepass", "Antrag",
    "Rente", "Wahlschein", "Briefwahl", "Einbürgerung", "Bestattung",
]


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return build_vocabulary(TEXTS)


@pytest.mark.parametrize(("a", "b", "d"), [
    ("hundesteuer", "hundesteuer", 0),
    ("hundesteur", "hundesteuer", 1),      # one letter missing
    ("fuehrerschien", "fuehrerschein", 1),  # two letters swapped: one slip
    ("personalausweiss", "personalausweis", 1),
    ("baugenemigung", "baugenehmigung", 1),
    ("kitten", "sitting", 3),               # above the limit: reported as limit + 1
    ("", "abc", 3),
])
def test_damerau_levenshtein_distance(a, b, d):
    assert spelling.distance(a, b) == min(d, spelling.MAX_DISTANCE + 1)


@pytest.mark.parametrize(("word", "allowed"), [("bau", 0), ("kita", 1), ("rente", 1), ("wohngeld", 2),
                                               ("hundesteuer", 2)])
def test_longer_words_allow_more_slips(word, allowed):
    assert spelling.max_distance(word) == allowed


@pytest.mark.parametrize(("typed", "meant"), [
    # letters missing
    ("Hundesteur", "hundesteuer"), ("Reisepas", "reisepass"), ("Meldebescheinung", "meldebescheinigung"),
    # letters swapped, with the umlaut spelt out too, or in the last part of a compound
    ("Führerschien", "führerschein"), ("Fuehrerschien", "führerschein"), ("Aufenthaltstitle", "aufenthaltstitel"),
    ("Gewerbeanmeldnug", "gewerbeanmeldung"),
    # a letter too many or a wrong one
    ("Personalausweiss", "personalausweis"), ("Personalausweiß", "personalausweis"), ("Kindergelt", "kindergeld"),
    ("Antrag Hundesteur", "antrag hundesteuer"),  # each word of a query on its own
])
def test_suggest_corrects_typos(vocab, typed, meant):
    assert spelling.suggest(typed, vocab) == meant


@pytest.mark.parametrize("query", [
    "Hundesteuer", "Fuehrerschein", "FÜHRERSCHEIN", "Hundesteuerbefreiung",  # known, folded, a compound of known words
    "Perso", "Kita",  # thesaurus terms are right although the index lacks them
    "der die das", "2024", "", "xqzvw",  # stopwords, numbers, nothing; nothing close enough
])
def test_suggest_returns_none_when_nothing_is_to_correct(vocab, query):
    assert spelling.suggest(query, vocab) is None


@pytest.mark.parametrize("words", [["hundesteuer", "kindergeld"], {"hundesteuer": 3, "kindergeld": 1}])
def test_plain_word_lists_and_frequencies_serve_as_vocabulary(words):
    assert spelling.suggest("Hundesteur", words) == "hundesteuer"


def test_short_words_are_never_corrected(vocab):
    assert spelling.correct("Ren", vocab) is None


def test_frequency_breaks_ties():
    vocab = Vocabulary({"haus": 10, "maus": 1})
    assert spelling.correct("xaus", vocab) == "haus"
    assert spelling.correct("xaus", Vocabulary({"haus": 1, "maus": 10})) == "maus"


def test_the_longer_shared_beginning_breaks_ties_before_frequency():
    vocab = Vocabulary({"reisepass": 1, "reisemas": 50})
    assert spelling.correct("reisepas", vocab) == "reisepass"


def test_umlauts_typed_without_dots_are_found(vocab):
    assert spelling.correct("Einburgerung", vocab) == "einbürgerung"


def test_hyphenated_words_are_corrected_per_part(vocab):
    assert spelling.suggest("Wahlschien-Briefwahl", vocab) == "wahlschein-briefwahl"


def test_learned_parts_are_never_suggested():
    vocab = build_vocabulary(["Personalausweis", "Parkausweis", "Bibliotheksausweis", "Personal", "Parken",
                              "Bibliothek"])
    assert "ausweis" in vocab.parts
    assert spelling.correct("ausweiss", vocab) != "ausweis"


def test_a_part_the_compounds_share_is_known_and_not_corrected():
    vocab = build_vocabulary(["Hundesteuer", "Grundsteuer", "Kirchensteuer", "Steuerbescheinigung", "Steuern",
                              "Hunde", "Grund", "Kirchen"])
    assert "steuer" in vocab.parts
    assert spelling.suggest("Steuer", vocab) is None  # not "Meinten Sie steuern?"


def test_fast_enough_for_twenty_thousand_words():
    rnd = random.Random(12)
    words = {"".join(rnd.choices(string.ascii_lowercase + "äöü", k=rnd.randint(5, 18))): 1 for _ in range(20_000)}
    words["hundesteuer"] = 5
    vocab = Vocabulary(words)
    spelling.index(vocab)  # built once per vocabulary
    started = time.perf_counter()
    for _ in range(20):
        assert spelling.suggest("Hundesteur", vocab, also_known=()) == "hundesteuer"
    assert (time.perf_counter() - started) / 20 < 0.05  # measured ~2 ms; generous for a shared machine


INFLECTED = build_vocabulary([*TEXTS, "Gebühr", "Erstattung", "Ausfuhrerstattung", "Vaterschafts Anerkennung",
                              "Berechnung", "Beantragung", "Wohnfeld", "Schulwechsel", "Wechsel", "Schule"])


@pytest.mark.parametrize("query", [
    "Wohngeldes", "Kindergelds", "Gebühren",  # a known word with a case or plural ending: no "wohnfeldes", "gebühr"
    "Vaterschaft",  # a known word lacks an ending it has in the catalogue ("Vaterschafts-")
    "Wohngeld beantragen", "Rente beantragt", "Personalausweis bestellen",  # noise words, also inflected
    "Strafanzeige erstatten", "Elterngeld berechnen", "Schule wechseln",  # verbs of known nouns
])
def test_inflections_verbs_and_noise_words_are_not_corrected(query):
    assert spelling.suggest(query, INFLECTED) is None


def test_a_correction_never_only_changes_the_ending_or_adds_a_derivation():
    assert spelling.correct("erstatten", INFLECTED) is None  # not "erstattung": another word
    assert spelling.correct("vaterschaft", INFLECTED) is None
    assert spelling.correct("reisepas", INFLECTED) == "reisepass"  # a letter missing is still a typo


def test_an_ending_german_does_not_use_is_a_typo():
    """Words ending in -s take -es: "Personalausweiss" is no genitive of Personalausweis."""
    assert spelling.suggest("Personalausweiss", INFLECTED) == "personalausweis"


class TestCorrectionsIntoOtherWords:
    """A "correction" that makes another real word is offered, never searched instead (review D2)."""

    VOCAB = build_vocabulary(["Dienstaufsichtsbeschwerde", "dienen", "Einwohnerantrag", "Neustaat", "gelben Liste",
                              "vorläufige Reisepass", "Abrechnungsleistungen", "Leistungen", "Hundesteuer", "Hunde",
                              "Steuer"])

    @pytest.mark.parametrize(("word", "better", "searched"), [
        ("bienen", "dienen", False),  # the first letter changed: another word, not a slip
        ("anwohner", "einwohner", False),
        ("neustadt", "neustaat", False),  # a place name
        ("hundesteur", "hundesteuer", True),
    ])
    def test_only_a_slip_that_keeps_the_first_letter_of_a_non_place_is_searchable(self, word, better, searched):
        assert spelling.searchable(word, better) is searched

    @pytest.mark.parametrize("word", ["gelber", "vorläufiger", "abrechnung"])
    def test_an_adjective_ending_or_the_start_of_a_known_word_is_no_typo(self, word):
        assert spelling.known(word, self.VOCAB) and spelling.suggest(word, self.VOCAB) is None

    @pytest.mark.parametrize(("typed", "offered"), [("Bienen", "dienen"), ("Neustadt", "neustaat")])
    def test_an_unsafe_correction_is_offered_and_not_searched(self, typed, offered):
        from efa_registry.search import attempts

        plan = attempts.plan(typed, self.VOCAB)
        assert plan.did_you_mean == offered
        assert [a.corrected_from for a in plan.attempts] == [None]
        assert offered not in plan.attempts[0].tsquery

    def test_a_one_word_correction_is_not_relaxed_into_parts(self):
        from efa_registry.search import attempts

        plan = attempts.plan("Hundesteur", self.VOCAB)
        assert [(a.corrected_from, a.relaxed) for a in plan.attempts] == [(None, False), ("Hundesteur", False)]
