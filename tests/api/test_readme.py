"""The README's promises hold on a plain clone: every example address it links answers 200 with
content, on the shipped reference data and the demo."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

EXAMPLES = sorted({path for path in re.findall(r"http://127\.0\.0\.1:8000(/[^\s<>)`\"']*)",
                                              (REPO / "README.md").read_text())
                   if "$" not in path})  # shell variables in curl examples are filled in by the reader


def test_the_readme_links_examples():
    assert len(EXAMPLES) >= 8
    assert "/v1/solutions/demo-gewerbeanmeldung/rollout" in EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES)
async def test_every_readme_example_answers_with_content(reader, path):
    response = await reader.get(path, headers={"Accept": "text/html" if not path.startswith("/v1") else "*/*"})
    assert response.status_code == 200, (path, response.text[:300])
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        items = body.get("items", body) if isinstance(body, dict) else body
        assert items, f"{path} answered without content"
    else:
        assert len(response.text) > 500
