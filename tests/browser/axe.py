"""axe-core in the browser tests: the vendored build (see vendor/README.md), injected into a page
by Playwright, run on the WCAG 2.1 A/AA rules plus axe's best practices and experimental rules
(label-content-name-mismatch is one), and every finding collected for the report."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
VERSION = "4.14.1"
SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "experimental"]
BLOCKING = {"serious", "critical"}

RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@functools.cache
def source() -> str:
    """The vendored axe-core, refused if it is not the build the README names."""
    body = AXE.read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    assert digest == SHA256, f"{AXE} is not axe-core {VERSION} (sha256 {digest}); see vendor/README.md"
    return body.decode()


async def violations(page) -> list[dict]:
    """Every violation axe finds on the page as it is now: id, impact, help, node count, targets."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(content=source())
    return await page.evaluate(RUN, TAGS)


def blocking(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in BLOCKING]


def write_report(path: Path, results: dict[str, list[dict]]) -> None:
    """test-artifacts/axe-report.json: per page, every violation (minor and moderate ones too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"axe": VERSION, "tags": TAGS, "pages": results}, indent=2, ensure_ascii=False))
