"""The words of Germany's place names, as the shipped GV100AD writes them: "Neustadt" is no
typo of "neustaat", "Wetter" (Ruhr) none of "weiter".

Why a list of its own: spelling is corrected against the catalogue's words, which hold no
place names, so a town typed in a query was "corrected" into another word and searched as that
(Neustadt: Aufenthaltstitel, Waffenerlaubnis). Read once per process from the package's
compressed GV100AD (some 16,000 names, a few hundredths of a second); a newer edition in the
database adds few names, and a name missing here is only corrected as before.
"""

from __future__ import annotations

import functools
import gzip
import re

from efa_registry.search import text as t

MIN_WORD = 4  # shorter name words ("Bad", "Au", "Hof") are words of everything
# The name field of every record, as ``areas.gv100ad.NAME`` reads it (search may not import areas,
# which searches by it).
_NAME = slice(22, 72)


@functools.cache
def words() -> frozenset[str]:
    """Folded words of the shipped directory's names (without the designation after the comma)."""
    import seed

    path = next(seed.SEED_DIR.glob("reference/GV100AD_*.txt.gz"), None)
    if path is None:
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as lines:
        names = {line[_NAME].partition(",")[0] for line in lines}
    return frozenset(w for name in names for w in map(t.fold, re.findall(r"[^\W\d_]+", name)) if len(w) >= MIN_WORD)


def is_place_word(word: str) -> bool:
    return t.fold(word) in words()
