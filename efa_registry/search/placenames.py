"""German place and authority names taken apart the same way, whether typed or official.

"Stadt Mülheim a.d. Ruhr", "Muelheim an der Ruhr" and the GV100AD's "Mülheim an der Ruhr,
Stadt" all become the core "muelheim" with the qualifier "ruhr" and, for the first, the wish for
a municipality. What people add (Stadt, Landkreis, Verbandsgemeinde …) and what the directory
appends (", Stadt", ", GKSt", ", gemfr. Gebiet") says which *kind* of area is meant, never which
one; brackets, "an der", "im", "bei" and slashes separate the name from its qualifier
("Halle (Saale)", "Neustadt a.d.Waldnaab", "Lauenburg/ Elbe").
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from efa_registry.search import text as t

Kind = Literal["gemeinde", "stadt", "verband", "kreis", "landkreis", "land"]

# Words naming the kind of an area; several may stack ("Große Kreisstadt", "VVG der Stadt Engen",
# "Freie und Hansestadt Hamburg"). Looked up in both spellings ("städteregion", "stadteregion").
_KINDS: dict[Kind, str] = {
    "stadt": "stadt kreisstadt große grosse hansestadt landeshauptstadt universitätsstadt hochschulstadt "
             "bundesstadt stadtgemeinde stadtverwaltung freie kreisfreie lutherstadt",
    "gemeinde": "gemeinde ortsgemeinde marktgemeinde markt flecken marktflecken gemeindeverwaltung "
                "bürgermeisteramt rathaus einheitsgemeinde ostseebad nordseebad seebad ostseeheilbad "
                "nordseeheilbad kurort heilbad staatsbad",  # the GV100AD puts these after the comma: "Binz, Ostseebad"
    "verband": "verbandsgemeinde vg vgem verwaltungsgemeinschaft samtgemeinde sg amt gvv vvg verwaltungsverband "
               "gemeindeverwaltungsverband verbandsfreie",
    "landkreis": "landkreis kreis lk lkr lkrs kr kreisverwaltung landratsamt",  # not a kreisfreie Stadt
    "kreis": "stadtkreis region städteregion regionalverband",
    "land": "land bundesland freistaat",
}
KIND_WORDS: dict[str, Kind] = {key(w): kind for kind, words in _KINDS.items() for w in words.split()
                               for key in (t.fold, t.plain)}
# Kind words that also begin real names ("Markt Schwaben", "Stadt Wehlen", "Amt Neuhaus").
_NAME_KINDS = frozenset({"markt", "stadt", "amt", "flecken"})
# Only these end a name as its kind ("Rostock Landkreis"); "Land", "Region", "Markt" end real
# names: Molauer Land, Weimarer Land, Oldenburg-Land.
_NOT_TRAILING = {t.fold(w) for w in ("freie", "große", "kreisfreie", "markt", "flecken", "marktflecken", "heilbad")}
_TRAILING_KINDS = frozenset(w for w, kind in KIND_WORDS.items()
                            if kind in ("stadt", "gemeinde", "verband", "landkreis") and w not in _NOT_TRAILING)
# Designation words that only ever follow a comma in the GV100AD ("Neustadt a.d.Donau, St").
_CITY_DESIGNATION = re.compile(r"stadt|\bst\b|gkst")
# Joining words between a name and its qualifier; abbreviations end up as these letters.
CONNECTORS = frozenset((
    "a", "an", "am", "auf", "d", "der", "den", "dem", "des", "die", "i", "im", "in", "b", "bei", "beim", "o", "ob",
    "v", "vor", "vorm", "u", "unter", "ad", "id", "od", "vd", "und", "zu", "zum", "zur",
))
# Letters of Sorbian and Polish, not of German: a name after a slash spelt with them is the
# place's name in that language ("Cottbus/Chóśebuz"), not a qualifier ("Lauenburg/ Elbe").
_SLAVIC = re.compile("[ąćčďęěłńňóřśšťůźżžĄĆČĎĘĚŁŃŇÓŘŚŠŤŮŹŻŽ]")
_KIND_PHRASES = ("freie und hansestadt", "grosse kreisstadt", "kreisfreie stadt", "gemfr gebiet",
                 "gemeindefreies gebiet", "universitaets und hansestadt", "hanse und universitaetsstadt")


class NameForm(NamedTuple):
    """A name taken apart: ``core`` and ``qualifier`` words (folded), the ``kind`` asked for or
    stated, and whether the directory calls the place a town (``city``)."""

    core: tuple[str, ...]
    qualifier: tuple[str, ...]
    kind: Kind | None
    city: bool
    loose: bool = False  # spelt with umlauts stripped ("munchen"): a match so found is less sure

    @property
    def full(self) -> tuple[str, ...]:
        return self.core + self.qualifier


def _words(text: str, key: str) -> list[str]:
    """Words of a name: dots end abbreviations ("a.d.Donau"), hyphens and spaces are alike."""
    text = t.normalize(text).replace("\u00df", "ss")
    text = re.sub(r"[.\-\u2013'’`´]", " ", text)
    words = [t.fold_normalized(w) if key == "fold" else t.plain(w) for w in re.findall(r"[^\W_]+", text)]
    return ["sankt" if w == "st" else w for w in words]


def _strip_kind(words: list[str], *, leading: bool) -> tuple[list[str], Kind | None]:
    """Kind words (and "der" between them) off one end of ``words``; the name stays non-empty."""
    kind: Kind | None = None
    joined = " ".join(words)
    for phrase in _KIND_PHRASES:  # multi-word designations first
        if leading and joined.startswith(phrase + " "):
            words, kind = words[len(phrase.split()):], "stadt" if "stadt" in phrase else kind
    while len(words) > 1:
        word = words[0] if leading else words[-1]
        if word not in (KIND_WORDS if leading else _TRAILING_KINDS) and not (kind and word in CONNECTORS):
            break
        if not leading and words[-2] in CONNECTORS:  # "Weil der Stadt" is a name, not a Stadt
            break
        kind = kind or KIND_WORDS.get(word)
        words = words[1:] if leading else words[:-1]
    return words, kind


def _kreis_suffix(words: list[str]) -> tuple[list[str], bool]:
    """"Rhein-Sieg-Kreis", "Ostalbkreis": the trailing "kreis" is the kind, not the name."""
    last = words[-1] if words else ""
    if len(words) > 1 and last == "kreis":
        return words[:-1], True
    if last.endswith("kreis") and len(last) >= 9:
        return [*words[:-1], last[:-5]], True
    return words, False


def parse(name: str, *, official: bool = False, key: str = "fold") -> NameForm:
    """Take a name apart. ``official`` names follow the GV100AD: whatever follows the first
    comma is a designation. Typed names may put a qualifier there ("Halle, Saale").
    ``key``: "fold" (ä → ae) or "plain" (ä → a, for people who type "Munchen")."""
    head, _, tail = name.partition(",")
    city = official and bool(_CITY_DESIGNATION.search(t.fold(tail)))
    qualifier_text = " ".join(re.findall(r"\(([^)]*)\)", head))
    head = re.sub(r"\([^)]*\)?", " ", head)
    head, _, after_slash = head.partition("/")
    qualifier = _words(qualifier_text + " " + after_slash, key) + ([] if official else _words(tail, key))
    words = _words(head, key)
    words, kind = _strip_kind(words, leading=True)
    words, trailing = (words, None) if official else _strip_kind(words, leading=False)
    words, kreis = _kreis_suffix(words)
    kind = kind or trailing or ("landkreis" if kreis else None)
    split = next((i for i, w in enumerate(words) if i > 0 and w in CONNECTORS), len(words))
    core = words[:split]
    # Joining words go, but never a qualifier's last word: "OB" in "Haag i.OB" is Oberbayern.
    rest, bracketed = ([w for k, w in enumerate(part) if w not in CONNECTORS or (k == len(part) - 1 and k > 0)]
                       for part in (words[split:], qualifier))
    # Kind words in brackets qualify ("Lichtenberg (VGem)"); in the name they are the name
    # ("Weil der Stadt").
    kind = kind or next((KIND_WORDS[w] for w in bracketed if w in KIND_WORDS), None)
    rest += [w for w in bracketed if w not in KIND_WORDS and w != "gemfr"]
    return NameForm(tuple(core), tuple(rest), kind, city or (kind == "stadt" and official), key == "plain")


def _languages(name: str) -> list[str]:
    """A bilingual official name's names one by one, each with the designation: "Cottbus/Chóśebuz,
    Stadt" is also "Cottbus, Stadt" and "Chóśebuz, Stadt"; Saxony writes " / " between them
    ("Bautzen / Budyšin", "Boxberg/O.L. / Hamor"), which also joins the Gemeinden of a Verband."""
    head, comma, tail = name.partition(",")
    if " / " in head:
        parts = head.split(" / ")
    elif "/" in head and _SLAVIC.search(head):
        parts = head.split("/", 1)
    else:
        return []
    return [part.strip() + comma + tail for part in parts if part.strip()]


def forms(name: str, *, official: bool = False) -> list[NameForm]:
    """The readings of a name: folded (ä = ae); with umlauts stripped (ä = a) when that differs,
    for official names and for typed ones without umlauts ("Munchen": the dots were left out,
    "Brück" was not meant as Bruck); and when it starts with a kind word that may belong to the
    name ("Markt Schwaben", "Stadt Wehlen"), the unstripped reading."""
    found = [parse(name, official=official)]
    if official:
        found += [parse(part, official=True) for part in _languages(name)]
    if official or not re.search("[äöüÄÖÜ]", name):
        plain = parse(name, official=official, key="plain")
        if plain[:2] != found[0][:2]:
            found.append(plain)
    words = _words(name.partition(",")[0], "fold")
    if len(words) > 1 and words[0] in _NAME_KINDS:
        found.append(NameForm((words[0], *found[0].core), found[0].qualifier, None, found[0].city))
    return list(dict.fromkeys(f for f in found if f.core))
