"""Which query words name a thing, and which only what is to be done with one.

Why it matters: a word the catalogue does not know is left out of the search when other words
remain ("Personalausweis xqzvwk" searches Personalausweis). But when what remains only says what
to do ("Falschparker melden", "Flohmarkt anmelden", "Feuerwerk kaufen") or is a generic word of
the catalogue ("'; DROP TABLE ozg_leistung" leaves Leistung, "<script>alert(1)" the 1), the
rest finds every Leistung with a Meldung or an Anmeldung: plausible-looking, and wrong. Then
the unknown word stays required, and the search honestly finds nothing.
"""

from __future__ import annotations

from efa_registry.search import text as t
from efa_registry.search.thesaurus import Thesaurus

# Words of requests and the catalogue's generic nouns: hundreds of Leistungen hold them.
GENERIC = frozenset(t.fold(w) for w in (
    "leistung", "leistungen", "antrag", "anträge", "anmeldung", "abmeldung", "ummeldung", "meldung", "meldungen",
    "melden", "anmelden", "abmelden", "anzeige", "anzeigen", "genehmigung", "genehmigungen", "erlaubnis",
    "bescheinigung", "bescheid", "förderung", "fördern", "zuschuss", "kosten", "gebühr", "gebühren", "kauf",
    "kaufen", "verkauf", "verkaufen", "verlust", "ersatz", "verloren", "beratung", "auskunft", "registrierung",
    "verfahren", "nachweis", "prüfung", "ändern", "änderung", "kündigen", "kündigung", "ozg",
))


def generic(word: str, thesaurus: Thesaurus) -> bool:
    """A generic word, a number, a noise word ("beantragen"), or a thesaurus term that expands to
    generic words only ("melden": Meldung, Anzeige)."""
    if word.isdigit() or t.is_noise(word) or t.fold(word) in GENERIC:
        return True
    if any(t.fold(base) in GENERIC for base in t.deinflected(word)):
        return True
    expansions = thesaurus.lookup(word.split())
    return bool(expansions) and all(t.fold(w) in GENERIC for e in expansions for w in e.split())
