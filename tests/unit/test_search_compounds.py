"""Compound splitting against a vocabulary of the catalogue's own words, and the index text."""

from __future__ import annotations

import pytest

from efa_registry.search import compounds as c

# Words as the catalogue uses them, each also standing alone somewhere.
TEXTS = [
    "Gewerbe Anmeldung", "Gewerbe Abmeldung", "Haltung von einem Hund", "Steuer", "Kinder", "Kind",
    "Betreuung", "Tagesbetreuung", "Tag", "Eltern", "Geld", "Bau", "Antrag", "Rente", "Renten",
    "Schule", "Aufnahme", "Wechsel", "melden", "Bescheinigung", "Geburt", "Urkunde", "Arbeitslose",
    "Wohnen", "Zulassung", "Kfz", "Zuschlag", "Unterhalt", "Name", "Änderung", "Führer", "Schein",
    "Pflege", "Versicherung", "Ehe", "Schließung", "Beurkundung", "Mutterschaft", "Anerkennung",
    "Kindertagesbetreuung", "Elterngeld", "Gewerbeanmeldung",
]


@pytest.fixture(scope="module")
def vocab() -> c.Vocabulary:
    return c.build_vocabulary(TEXTS, learn=False)


@pytest.mark.parametrize(("word", "parts"), [
    ("Gewerbeanmeldung", ["gewerbe", "anmeldung"]),
    ("Hundesteuer", ["hund", "steuer"]),            # linking -e-
    ("Elterngeld", ["eltern", "geld"]),
    ("Bauantrag", ["bau", "antrag"]),
    ("Geburtsurkunde", ["geburt", "urkunde"]),      # linking -s-
    ("Arbeitslosengeld", ["arbeitslose", "geld"]),  # linking -n-
    ("Rentenversicherung", ["renten", "versicherung"]),
    ("Kindesunterhalt", ["kind", "unterhalt"]),     # linking -es-
    ("Namensänderung", ["name", "änderung"]),       # linking -ns-
    ("Kinderzuschlag", ["kinder", "zuschlag"]),
    ("Schulaufnahme", ["schule", "aufnahme"]),      # the final -e dropped
    ("Wohngeld", ["wohnen", "geld"]),               # a verb stem
    ("Meldebescheinigung", ["melden", "bescheinigung"]),
    ("Pflegeversicherung", ["pflege", "versicherung"]),
    ("Führerschein", ["führer", "schein"]),
    ("FUEHRERSCHEIN", ["führer", "schein"]),        # folded spelling, the vocabulary's own answer
])
def test_compounds_split_into_known_words(vocab, word, parts):
    assert c.split(word, vocab) == parts


@pytest.mark.parametrize("word", ["Rente", "Antrag", "Betreuung", "Bescheinigung", "Anmeldung", "Geld", "Hund",
                                  "Bestattung", "Xylophon", "Renteneintritt", "Antragsteller"])
def test_words_that_are_no_compound_of_known_words_stay_whole(vocab, word):
    assert c.split(word, vocab) == [c.t.normalize(word)]


def test_fewest_parts_win(vocab):
    # "tagesbetreuung" is a word of its own: kinder + tagesbetreuung beats kinder + tages + betreuung
    assert c.split("Kindertagesbetreuung", vocab) == ["kinder", "tagesbetreuung"]
    assert {"kinder", "tagesbetreuung", "tag", "betreuung"} <= set(c.all_parts("kindertagesbetreuung", vocab))


def test_hyphenated_words_split_at_hyphens_first(vocab):
    assert c.split("Kfz-Zulassung", vocab) == ["kfz", "zulassung"]
    assert c.split("Gewerbe-Anmeldung", vocab) == ["gewerbe", "anmeldung"]


def test_minimum_part_length_prevents_nonsense():
    vocab = c.build_vocabulary(["ren", "te", "re", "nte", "Rente"], learn=False)
    assert c.split("Rente", vocab) == ["rente"]
    assert c.pieces("rente", vocab) == ()


def test_stopwords_are_never_parts():
    vocab = c.build_vocabulary(["ein", "Bürgerung", "aus", "Weis"], learn=False)
    assert c.split("Einbürgerung", vocab) == ["einbürgerung"]


@pytest.mark.parametrize("word", ["a" * 200, "abc123def", "", "   "])
def test_hostile_words_do_not_split(vocab, word):
    assert len(c.split(word, vocab)) <= 1


def test_vocabulary_counts_and_looks_up_spelling_independently(vocab):
    assert vocab.frequency("gewerbe") == 2
    assert vocab.lookup("fuehrer") == "führer"
    assert "FÜHRER" in vocab and "Fuehrer" in vocab
    assert "der" not in c.build_vocabulary(["der Hund"])  # stopwords are no vocabulary words


def test_learned_parts_come_from_compounds_sharing_a_piece():
    texts = ["Personalausweis", "Parkausweis", "Bibliotheksausweis", "Personal", "Parken", "Bibliothek",
             "Berufliche", "Beruf", "Gerichtliche", "Gericht"]
    vocab = c.build_vocabulary(texts)
    assert "ausweis" in vocab.parts
    assert "liche" not in vocab.parts and "iche" not in vocab.parts  # suffixes are no words
    assert c.split("Personalausweis", vocab) == ["personal", "ausweis"]
    assert "ausweis" not in vocab  # a learned part is no word to suggest


def test_a_head_that_begins_words_beats_one_a_linking_s_would_leave():
    """"Hundes|teuer" and "Grunds|teuer" attest "teuer" as often as "Hunde|steuer" "steuer"; only
    "steuer" begins a word of the texts (Steuerbescheinigung)."""
    texts = ["Hundesteuer", "Grundsteuer", "Kirchensteuer", "Steuerbescheinigung", "Hunde", "Grund", "Kirchen",
             "Bescheinigung", "Leistungsbezeichnung", "Ordnungsbezeichnung", "Leistung", "Ordnung", "Bezeichnungen"]
    vocab = c.build_vocabulary(texts)
    assert "steuer" in vocab.parts and "teuer" not in vocab.parts
    assert c.split("Grundsteuer", vocab) == ["grund", "steuer"]
    assert c.split("Hundesteuer", vocab) == ["hunde", "steuer"]
    assert c.split("Leistungsbezeichnung", vocab) == ["leistung", "bezeichnung"]  # here the -s- links


def test_index_text_adds_parts_joined_hyphen_words_and_folded_spellings(vocab):
    expanded = c.expand_for_index("Gewerbeanmeldung beim Kita-Gutschein-Amt; Führerschein", vocab)
    words = expanded.split()
    assert expanded.startswith("Gewerbeanmeldung beim Kita-Gutschein-Amt; Führerschein")
    assert {"gewerbe", "anmeldung", "kitagutscheinamt", "fuehrerschein", "führer", "schein"} <= set(words)
    assert "beim" not in words[5:]  # stopwords are not repeated


def test_index_text_completes_coordinations_with_hyphens(vocab):
    words = c.expand_for_index("Gewerbe an-, um- und abmelden", vocab).split()
    assert {"anmelden", "ummelden"} <= set(words)
    words = c.expand_for_index("Eheschließung und -beurkundung", vocab).split()
    assert "ehebeurkundung" in words
    words = c.expand_for_index("Vaterschafts-/Mutterschaftsanerkennung", vocab).split()
    assert "vaterschaftsanerkennung" in words


def test_index_text_of_plain_words_is_the_text(vocab):
    assert c.expand_for_index("  Rente  ", vocab) == "Rente"


def test_the_known_front_of_a_compound_with_an_unknown_head():
    """"Hundesteuerbescheid": the catalogue has no Bescheid, the search is about the Hundesteuer."""
    from efa_registry.search.compounds import known_front

    known = {"hundesteuer", "hunde", "steuer"}.__contains__
    assert known_front("hundesteuerbescheid", known) == "hundesteuer"
    assert known_front("hundesteuer", known) is None  # nothing after it: the word itself is no front
    assert known_front("hundxyz", known) is None
