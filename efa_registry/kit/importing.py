"""What every importer shares: a progress callback and a summary of counts."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

# progress(done, total): called now and then while an import runs (the CLI draws a bar).
Progress = Callable[[int, int], None]


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

    def lines(self) -> list[str]:
        out = [f"{self.source}: {self.created} created, {self.updated} updated, "
               f"{self.unchanged} unchanged in {self.seconds:.2f} s"
               + (f" (edition {self.edition})" if self.edition else "")]
        out += [f"  {kind}: {n}" for kind, n in sorted(self.counts.items())]
        if self.skipped:
            out.append(f"  {len(self.skipped)} rows skipped:")
            out += [f"    line {n}: {why}" for n, why in self.skipped[:20]]
            if len(self.skipped) > 20:
                out.append(f"    … and {len(self.skipped) - 20} more")
        return out
