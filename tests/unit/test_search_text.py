"""German text for search: normalisation, umlaut folding, tokens with hyphens, stopwords."""

from __future__ import annotations

import pytest

from efa_registry.search import text as t


@pytest.mark.parametrize(("raw", "normalised"), [
    ("Führerschein", "führerschein"),
    ("Fu\u0308hrerschein", "führerschein"),      # decomposed ü (macOS input) becomes one character
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),                       # casefold: ß is ss, as the german stemmer does
    ("Kita\x00Gutschein", "kita gutschein"),     # NUL and control characters become spaces
    ("Kinder\u00adgarten", "kindergarten"),      # a soft hyphen vanishes
    ("Kita\u2013Gutschein", "kita-gutschein"),   # an en dash inside a word is a hyphen
])
def test_normalize_casefolds_composes_and_cleans(raw, normalised):
    assert t.normalize(raw) == normalised


@pytest.mark.parametrize(("a", "b"), [
    ("Führerschein", "Fuehrerschein"), ("MÜNCHEN", "muenchen"), ("Bürgergeld", "BUERGERGELD"),  # umlauts spelt out
    ("Straße", "Strasse"), ("Café", "cafe"),    # ß and accents
    ("Ko\u0308ln", "Koeln"),                    # decomposed and spelt out
    ("Błota", "Blota"), ("Łaz", "laz"),          # Sorbian letters Unicode does not decompose
])
def test_fold_makes_both_spellings_one_key(a, b):
    assert t.fold(a) == t.fold(b)


@pytest.mark.parametrize(("a", "b"), [("München", "Munchen"), ("Düsseldorf", "Dusseldorf"), ("Größe", "grosse")])
def test_plain_is_the_key_of_words_typed_without_umlaut_dots(a, b):
    assert t.plain(a) == t.plain(b)
    assert t.fold(a) != t.fold(b) or a.casefold() == b.casefold()


def test_fold_keeps_distinct_words_apart():
    assert t.fold("Steuer") != t.fold("Stuer")
    assert t.fold("Feuer") == "feuer"  # an "ue" that is no umlaut stays as it is


def test_hyphenated_word_is_one_token_with_its_parts():
    [token] = t.tokens("Kita-Gutschein")
    assert token.word == "kitagutschein"
    assert token.parts == ("kita", "gutschein")
    assert t.tokenize("Kita-Gutschein beantragen") == ["kita-gutschein", "kita", "gutschein", "beantragen"]
    assert t.words("Kita-Gutschein") == ["kitagutschein", "kita", "gutschein"]  # joined, as people also type it


def test_words_without_hyphen_have_no_parts():
    assert [tok.parts for tok in t.tokens("Antrag auf Elterngeld")] == [(), (), ()]


def test_elided_parts_are_marked():
    tokens = t.tokens("Gewerbe an-, um- und abmelden; Eheschließung und -beurkundung")
    flags = {tok.word: (tok.open_start, tok.open_end) for tok in tokens}
    assert flags["an"] == (False, True)
    assert flags["um"] == (False, True)
    assert flags["abmelden"] == (False, False)
    assert flags["beurkundung"] == (True, False)


@pytest.mark.parametrize("text", ["Hallo, Welt! (Test) §1 „Zitat“ 'x' \"y\" a/b", "&|!():*\\"])
def test_strip_punctuation_leaves_words_digits_and_hyphens(text):
    stripped = t.strip_punctuation(text)
    assert all(ch.isalnum() or ch in " -" for ch in stripped)


def test_tokens_never_carry_punctuation():
    assert [tok.word for tok in t.tokens("'Perso'; (Ausweis) & \"Pass\"!")] == ["perso", "ausweis", "pass"]


@pytest.mark.parametrize("word", ["der", "die", "das", "und", "für", "FÜR", "fuer", "über", "zur", "im"])
def test_function_words_are_stopwords(word):
    assert t.is_stopword(word)


@pytest.mark.parametrize("word", ["antrag", "kind", "rente", "amt", "pass", "geld"])
def test_content_words_are_no_stopwords(word):
    assert not t.is_stopword(word)


def test_content_words_drop_stopwords_and_single_letters_but_keep_numbers():
    assert t.content_words("Antrag auf Erteilung der Fahrerlaubnis, Klasse B") == [
        "antrag", "erteilung", "fahrerlaubnis", "klasse"]
    assert t.content_words("Arbeitslosengeld 2") == ["arbeitslosengeld", "2"]


@pytest.mark.parametrize("word", ["stelle", "bestellte", "beauftragten", "vereinbarten"])
def test_nouns_and_adjectives_that_end_like_a_noise_verb_are_words(word):
    assert not t.is_noise(word)  # "zuständige Stelle", "bestellte Vorstandsmitglieder"


@pytest.mark.parametrize("word", ["beantragt", "bestellt", "verlängerst"])
def test_the_verb_forms_of_noise_words_are_noise(word):
    assert t.is_noise(word)


def test_nen_is_cut_only_after_the_in_of_a_feminine_noun():
    assert "ärztin" in t.deinflected("ärztinnen") and "perso" not in t.deinflected("personen")
