"""User queries as to_tsquery('german', …) strings: alternatives, prefixes, safety."""

from __future__ import annotations

import re

import pytest

from efa_registry.search import attempts, things
from efa_registry.search import query as q
from efa_registry.search import text as t
from efa_registry.search.compounds import build_vocabulary
from efa_registry.search.thesaurus import load

TOKEN = re.compile(r"\s*('[^\W_]+'(?::\*)?|&|\||!|\(|\))")


def well_formed(tsquery: str) -> bool:
    """A strict reading of what build_tsquery may emit: quoted letters/digits, & | ! and brackets."""
    tokens, pos = [], 0
    while pos < len(tsquery):
        match = TOKEN.match(tsquery, pos)
        if not match:
            return False
        tokens.append(match.group(1))
        pos = match.end()

    def expression(i: int) -> int:
        i = term(i)
        while i < len(tokens) and tokens[i] in "&|":
            i = term(i + 1)
        return i

    def term(i: int) -> int:
        if i < len(tokens) and tokens[i] == "!":
            return term(i + 1)
        if i < len(tokens) and tokens[i] == "(":
            i = expression(i + 1)
            if i >= len(tokens) or tokens[i] != ")":
                raise ValueError
            return i + 1
        if i < len(tokens) and tokens[i].startswith("'"):
            return i + 1
        raise ValueError

    try:
        return expression(0) == len(tokens)
    except ValueError:
        return False


@pytest.fixture(scope="module")
def vocab():
    return build_vocabulary(["Hundesteuer", "Hundehaltung Anmeldung", "Personalausweis", "Führerschein",
                             "Gewerbe Anmeldung", "Steuer", "Hund", "Kindertagesbetreuung", "Wohngeld"])


def groups(tsquery: str) -> list[str]:
    """The top-level AND operands."""
    depth, parts, current = 0, [], ""
    for ch in tsquery:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "&" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    return [*parts, current.strip()]


def test_thesaurus_alternatives_are_ored():
    built = q.build_tsquery("Kita")
    assert "'kita':*" in built and "'kindertagesbetreuung':*" in built and " | " in built


def test_words_are_anded_and_alternatives_stay_inside_their_word():
    built = q.build_tsquery("Kita Gutschein")
    assert groups(built) == [groups(built)[0], "'gutschein':*"]
    assert "kindertagesbetreuung" in groups(built)[0]


@pytest.mark.parametrize(("typed", "expected"), [
    ("Führersch", "'führersch':*"),    # the last word as typed so far
    ("Ki", "'ki':*"),                  # even when short
    ("Rente", "'rente':*"),            # four letters and more: a prefix anyway
    ("Bau Amt", "'bau' & 'amt':*"),    # short words before the last are whole words
])
def test_prefix_matching(typed, expected):
    assert q.build_tsquery(typed) == expected


def test_no_as_you_type_prefix_when_asked_not_to():
    assert q.build_tsquery("Bau Amt", as_you_type=False) == "'bau' & 'amt'"


def test_short_words_before_the_last_are_no_prefix_even_with_synonyms():
    assert q.build_tsquery("Kfz Steuer").startswith("('kfz' | 'kraftfahrzeug':* | 'fahrzeug':*) & ")


def test_multi_word_terms_become_one_group():
    built = q.build_tsquery("Auto anmelden")
    assert len(groups(built)) == 1 and "'kraftfahrzeugzulassung':*" in built


def test_hyphen_parts_are_an_alternative_with_their_own_synonyms():
    built = q.build_tsquery("Kfz-Zulassung")
    assert "'kfzzulassung':*" in built
    assert re.search(r"\('kfz' \| 'kraftfahrzeug':\* \| 'fahrzeug':\*\) & 'zulassung':\*", built)


def test_noise_words_are_dropped_when_something_else_remains():
    assert q.build_tsquery("Personalausweis online beantragen") == "'personalausweis':*"
    assert q.build_tsquery("Antrag") == "'antrag':*"


def test_a_leading_minus_excludes_the_word_from_the_whole_query():
    assert q.build_tsquery("Hund -Steuer") == "'hund':* & !'steuer':*"
    assert q.build_tsquery("Hund oder Katze -Steuer") == "('hund':* | 'katze':*) & !'steuer':*"
    assert q.build_tsquery("Hund-Steuer") == "('hundsteuer':* | ('hund':* & 'steuer':*))"  # a hyphen inside joins
    # Only at the start or after a space: after a full stop or a bracket a hyphen elides, it never excludes.
    for written in ("Kfz.-Zulassung", "Fahrerlaubnis (-umtausch)", "Hund/-Steuer"):
        assert "!" not in q.build_tsquery(written), written


def test_oder_and_or_join_the_runs_around_them_and_and_binds_tighter():
    assert q.build_tsquery("Hund oder Katze") == q.build_tsquery("Hund OR Katze") == "'hund':* | 'katze':*"
    assert q.build_tsquery("Bau Amt oder Wohngeld") == "'bau' & 'amt' | 'wohngeld':*"
    assert q.build_tsquery("oder Hund oder") == "'hund':*"  # nothing on one side: no operator


def test_noise_words_are_dropped_within_each_run():
    assert q.build_tsquery("Personalausweis beantragen oder Reisepass online") == "'personalausweis':* | 'reisepass':*"


def test_the_relaxed_query_keeps_the_exclusions_and_is_none_when_all_is_ored():
    groups_ = q.plan("Hund Katze -Steuer")
    assert q.expression(groups_, relaxed=True) == "('hund':* | 'katze':*) & !'steuer':*"
    assert q.expression(q.plan("Hund oder Katze"), relaxed=True) is None


def test_the_noise_part_of_a_compound_is_not_required():
    vocab = build_vocabulary(["Elterngeld", "Antrag", "Bauantrag", "Kinder Garten", "Platz"])
    built = q.build_tsquery("Elterngeldantrag", vocab=vocab)
    assert "'elterngeld'" in built and "'antrag'" not in built
    assert q.build_tsquery("Elterngeld-Antrag", vocab=vocab).count("'antrag'") == 0


def test_the_relaxed_query_takes_any_part_of_a_compound():
    vocab = build_vocabulary(["Kindergarten", "Platz", "Garten", "Kinder"])
    groups_ = q.plan("Kindergartenplatz", vocab=vocab)
    assert "&" in q.expression(groups_)
    assert "&" not in q.expression(groups_, relaxed=True) and "'platz'" in q.expression(groups_, relaxed=True)


def test_exclusions_alone_leave_nothing_to_find():
    assert q.plan("-Steuer -Hund") == [] and q.build_tsquery("-Steuer") is None


@pytest.mark.parametrize("typed", ["", "   ", "der die das", "und oder", "!!!", "a b c", "\x00\x00"])
def test_nothing_searchable_gives_none(typed):
    assert q.build_tsquery(typed) is None


HOSTILE = [
    "'", "''", "'kita'", "\\", "\\'", "&", "|", "!", "()", ")(", ":*", "kita:*", "kita:A", "<->", "kita <-> amt",
    "a & b | !c (d) :* \\ \x00 'e'", "'; DROP TABLE solution; --", "Kita' | 'x", "((((Kita", "Kita))))",
    "Kita\x00Gutschein", "x" * 10_000, "Kita " * 500, "ǅemal İstanbul ﬁsch ١٢٣", "e\u0301cole", "%_*?",
    "\u202eKita\u202c", "Kita\nGutschein\tAmt", "$1", "Kita::*", "!Kita", "-Kita", "Kita-", "--", "- -",
    "Kita -Hort", "-Kita oder -Hort", "oder", "Kita or or -", "-(Kita | Hort)", "Kita -'x' oder !y",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_input_gives_a_well_formed_query_or_none(typed, vocab):
    for built in (q.build_tsquery(typed), q.build_tsquery(typed, vocab=vocab)):
        assert built is None or well_formed(built), built


def test_long_input_is_bounded():
    built = q.build_tsquery(" ".join(f"wort{i}" for i in range(100)))
    assert len(groups(built)) == q.MAX_GROUPS
    assert q.build_tsquery("x" * 10_000) is None


def test_vocabulary_adds_the_catalogue_spelling(vocab):
    assert "'führerschein'" in q.build_tsquery("Fuehrerschein", vocab=vocab)


def test_vocabulary_adds_compound_parts_of_unknown_compounds(vocab):
    built = q.build_tsquery("Hundeanmeldung", vocab=vocab)
    assert "'hundeanmeldung'" in built and "'anmeldung'" in built


def test_vocabulary_adds_typo_corrections(vocab):
    assert "'hundesteuer'" in q.build_tsquery("Hundesteur", vocab=vocab)
    assert "'hundesteuer'" not in q.build_tsquery("Hundesteur", vocab=vocab, correct=False)


def test_words_the_index_cannot_know_are_not_required(vocab):
    assert q.build_tsquery("Personalausweis xqzvwk", vocab=vocab) == "'personalausweis'"
    assert q.build_tsquery("xqzvwk", vocab=vocab) == "'xqzvwk'"  # alone it is still searched


def test_plan_exposes_groups_for_callers_that_relax_the_and(vocab):
    plan = q.plan("Hundesteuer Anmeldung", vocab=vocab)
    assert [g.typed for g in plan] == ["hundesteuer", "anmeldung"]
    assert q.render(plan[1], last_typed=False) == "'anmeldung'"
    assert q.render(plan[0], last_typed=False) == "('hundesteuer' | 'hundehaltung')"


def test_lexemes_keep_only_letters_and_digits():
    assert q.lexeme("a'b\\c:*", prefix=True) == "'abc':*"
    assert q.lexeme("'&|", prefix=False) == ""


@pytest.mark.parametrize(("word", "bases"), [
    ("bauanträge", ["bauantrag"]), ("ausweise", ["ausweis"]), ("wohngeldes", ["wohngeld"]),
    ("gebühren", ["gebühr"]), ("häuser", ["haus"]), ("väter", ["vater"]), ("ämter", ["amt"]),
    ("antraege", ["antrag"]), ("schulen", ["schule"]), ("ärztinnen", ["ärztin"]), ("kitas", ["kita"]),
])
def test_inflected_words_give_their_base_forms(word, bases):
    assert set(bases) <= set(t.deinflected(word))


@pytest.mark.parametrize("word", ["fahrer", "bauer", "steuer", "reisepass", "personalausweiss", "wohngeldn"])
def test_endings_are_cut_only_where_german_uses_them(word):
    """-er without an umlaut ends agent nouns, not plurals; -s never follows an s; -n follows e, l, r."""
    assert not {"fahr", "bau", "steu", "reisepas", "personalausweis", "wohngeld"} & set(t.deinflected(word))


def test_action_verbs_are_noise_in_every_form():
    assert q.build_tsquery("Geburtsurkunde bestellen") == q.build_tsquery("Geburtsurkunde bestellt")
    assert "bestell" not in q.build_tsquery("Geburtsurkunde bestellen")
    assert "erstatt" not in q.build_tsquery("Strafanzeige erstatten")


def test_an_inflected_word_is_searched_by_its_base_form(vocab):
    assert "'wohngeld'" in q.build_tsquery("Wohngeldes", vocab=vocab)
    assert "'baugenehmigung'" in q.build_tsquery("Bauanträge", vocab=vocab)  # the thesaurus's Bauantrag
    assert "'hund'" in q.build_tsquery("Hunde", vocab=build_vocabulary(["Hund", "Steuer"]))


def test_a_thesaurus_term_is_neither_split_nor_corrected():
    vocab = build_vocabulary(["Hochschule", "Hochwasser", "Zeit", "Teilzeit", "Tragung", "Kostentragung", "Hoch"])
    hochzeit, trauung = q.build_tsquery("Hochzeit", vocab=vocab), q.build_tsquery("Trauung", vocab=vocab)
    assert "'eheschliessung'" in hochzeit and "'hoch'" not in hochzeit and "'zeit'" not in hochzeit
    assert "'eheschliessung'" in trauung and "tragung" not in trauung


def test_a_compound_of_a_thesaurus_term_and_a_word_is_searched_by_both_or_the_term():
    vocab = build_vocabulary(["Anmeldung", "Kindertagesbetreuung", "Person", "Verlängerung", "Urkunde", "Platz"])
    kita = q.plan("Kitaanmeldung", vocab=vocab)[0].alternatives
    assert (("kindertagesbetreuung", "kindertagesstätte", "kindertageseinrichtung", "kindertagespflege"),
            ("anmeldung",)) in kita
    assert (("kindertagesbetreuung", "kindertagesstätte", "kindertageseinrichtung", "kindertagespflege"),) in kita
    perso = q.build_tsquery("Persoverlängerung", vocab=vocab)
    assert "'personalausweis'" in perso and "'person'" not in perso and "'person'" not in perso
    assert "'urkunde'" in q.build_tsquery("Hochzeitsurkunde", vocab=vocab)  # across a linking -s-
    assert "'kindertagesbetreuung'" in q.build_tsquery("Kindergartenplätze", vocab=vocab)  # and a plural head


def test_a_compound_of_a_term_and_a_noun_finds_the_phrase_of_its_verb():
    """"Autoanmeldung" is the thesaurus's "Auto anmelden" (Kraftfahrzeugzulassung)."""
    assert t.verb_of("anmeldung") == "anmelden" and t.verb_of("verlängerung") == "verlängern"
    built = q.build_tsquery("Autoanmeldung", vocab=build_vocabulary(["Anmeldung", "Kraftfahrzeug"]))
    assert "'kraftfahrzeugzulassung'" in built


def test_a_term_the_index_does_not_know_is_no_prefix():
    """'perso':* would find Personenbeförderung before Personalausweis; its expansion finds that."""
    vocab = build_vocabulary(["Personalausweis", "Personenbeförderung", "Kindertagesbetreuung", "Kita"])
    assert q.build_tsquery("Perso", vocab=vocab) == "('perso' | 'personalausweis')"
    assert q.build_tsquery("Kita", vocab=vocab).startswith("('kita' |")  # a word of the index matches whole
    assert "'perso':*" in q.build_tsquery("Perso")  # without a vocabulary nothing tells


class TestWholeWords:
    """PostgreSQL stems a prefix before matching it: 'masern':* is 'mas':* (Maßnahmen), 'hund':*
    begins "vom Hundert" (Unfallrente). A word the vocabulary knows needs no prefix (the documents
    hold their compounds' parts), and one no vocabulary word begins with can only match by accident."""

    VOCAB = build_vocabulary(["Hunde", "Hundesteuer", "vom Hundert", "Maßnahmen", "Führerschein", "Wettbewerb",
                              "Krankenversicherungsnachweis", "Krankenversicherung"])

    @pytest.mark.parametrize(("typed", "built"), [
        ("Hund", "'hund'"),  # an inflection of Hunde: no prefix, "hundert" stays out
        ("Masern", "'masern'"),  # nothing begins with it: as a prefix it would be 'mas':*
        ("Wetter", "'wetter'"),
        ("Krankenversicherung", "'krankenversicherung'"),
        ("Führersch", "'führersch':*"),  # typed half-way: still a prefix
        ("Hund Führersch", "'hund' & 'führersch':*"),
        ("Hund -Hundert", "'hund' & !'hundert'"),
    ])
    def test_a_known_word_or_one_nothing_begins_with_matches_whole(self, typed, built):
        assert q.build_tsquery(typed, vocab=self.VOCAB) == built

    def test_without_a_vocabulary_the_prefixes_stay(self):
        assert q.build_tsquery("Hund") == "'hund':*"

    def test_the_ranking_query_keeps_the_prefix_of_a_whole_word(self):
        """"Krankenversicherung" ranks the name Krankenversicherungsnachweis as a name match."""
        groups = q.plan("Krankenversicherung Hund", vocab=self.VOCAB)
        assert q.expression(groups) == "'krankenversicherung' & 'hund'"
        assert q.expression(groups, ranking=True) == "'krankenversicherung':* & 'hund':*"
        assert q.expression(q.plan("Masern", vocab=self.VOCAB), ranking=True) == "'masern'"  # never: 'mas':*

    def test_the_literal_attempt_of_a_query_with_a_correction_still_matches_whole(self):
        plan = attempts.plan("Hund Hundesteur", self.VOCAB)
        assert plan.did_you_mean and "'hund' &" in plan.attempts[0].tsquery
        assert plan.attempts[0].in_name.startswith("'hund':*A")


class TestUnknownWords:
    """An unknown word is left out only when a word naming a thing remains: "Falschparker melden"
    searched as "melden" found every Meldung (search review D1)."""

    VOCAB = build_vocabulary(["Meldung", "Anzeige", "Personalausweis", "Gebühren", "Kosten", "Leistung"])

    def test_an_unknown_word_beside_a_thing_is_left_out_and_named(self):
        groups = q.plan("Personalausweis xqzvwk", vocab=self.VOCAB)
        assert q.expression(groups) == "'personalausweis'" and groups.unknown == ("xqzvwk",)

    @pytest.mark.parametrize("typed", ["Falschparker melden", "Falschparker Leistung", "Falschparker 1",
                                       "Falschparker online beantragen"])
    def test_an_unknown_word_beside_generic_words_only_stays_required(self, typed):
        groups = q.plan(typed, vocab=self.VOCAB)
        assert q.expression(groups).startswith("'falschparker' &") or q.expression(groups) == "'falschparker'"
        assert q.expression(groups, relaxed=True) is None  # any one word: the generic one alone
        assert groups.unknown == ("falschparker",)

    def test_relaxed_a_generic_word_only_ranks(self):
        groups = q.plan("Personalausweis Kosten", vocab=self.VOCAB)
        assert q.expression(groups) == "'personalausweis' & 'kosten'"
        assert q.expression(groups, relaxed=True) == "'personalausweis'"
        assert q.expression(groups, relaxed=True, ranking=True) == "'personalausweis':* | 'kosten':*"

    @pytest.mark.parametrize(("word", "generic"), [
        ("melden", True), ("anmelden", True), ("leistung", True), ("gebühren", True), ("1", True),
        ("beantragen", True), ("kaufen", True), ("heiraten", False), ("kindergeld", False), ("falschparker", False),
    ])
    def test_generic_words(self, word, generic):
        assert things.generic(word, load()) is generic


def test_the_terms_of_a_relaxed_query_are_its_words_and_parts_one_by_one():
    vocab = build_vocabulary(["Geburtsurkunde", "Kind", "Grundsteuer", "Erklärung", "Grund"])
    found = attempts.terms(q.plan("Geburtsurkunde Kind", vocab=vocab))
    assert found[0] == "'geburtsurkunde':*" and found[-1] == "'kind':*"  # the thesaurus's Geburtenregister between
    assert attempts.terms(q.plan("Hund -Steuer", vocab=vocab)) == ("'hund'",)  # an exclusion ranks nothing
