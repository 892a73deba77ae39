"""What every importer shares: a progress callback and a summary of counts."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

# progress(done, total): called now and then while an import runs (the CLI draws a bar).
Progress = Callable[[int, int], None]


def seconds(value: float, digits: int = 2) -> str:
    """A duration as German CLI output reads it: "0,68 s"."""
    return f"{value:.{digits}f} s".replace(".", ",")


def no_progress(done: int, total: int) -> None:
    return None


class ImportSummary(msgspec.Struct, kw_only=True):
    """Counts by kind (e.g. ``{"gemeinde": 10751, "kreis": 400}``), created/updated totals,
    rows reported and skipped (line number, reason), and the source's edition if known."""

    source: str
    counts: dict[str, int] = msgspec.field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = msgspec.field(default_factory=list)
    edition: str | None = None
    seconds: float = 0.0

    def merge(self, part: ImportSummary) -> None:
        """Add ``part``'s counts (a seed runs several imports); a kind counted twice keeps the larger."""
        for kind, n in part.counts.items():
            self.counts[kind] = max(n, self.counts.get(kind, 0))
        self.created += part.created
        self.updated += part.updated
        self.unchanged += part.unchanged
        self.skipped += [(line, f"{part.source}: {why}") for line, why in part.skipped]
        self.edition = self.edition or part.edition

    def lines(self, say: Callable[[str], str] = str) -> list[str]:
        """The summary as the CLI prints it; ``say`` puts a skipped line's reason in its language."""
        out = [f"{self.source}: {self.created} neu, {self.updated} geändert, "
               f"{self.unchanged} unverändert in {seconds(self.seconds)}"
               + (f" (Stand {self.edition})" if self.edition else "")]
        out += [f"  {kind}: {n}" for kind, n in sorted(self.counts.items())]
        if self.skipped:
            out.append(f"  {len(self.skipped)} Zeilen übersprungen:")
            out += [f"    Zeile {n}: {say(why)}" for n, why in self.skipped[:20]]
            if len(self.skipped) > 20:
                out.append(f"    … und {len(self.skipped) - 20} weitere")
        return out
