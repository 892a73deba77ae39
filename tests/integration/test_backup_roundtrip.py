"""Backup round trip: export every table, empty the database, restore — and the API answers byte for byte
as before, the history and the change feed are unchanged, new writes continue after the restored ones.
Also the event ``tx_id``s of a server that was further along: advanced past, or renumbered in order."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import msgspec
import pytest

from efa_registry import db
from efa_registry.errors import Conflict, InvalidInput
from efa_registry.events.feed import read_events
from efa_registry.transfer import backup, catalog

GETS = ["/v1/solutions", "/v1/solutions?status=available,pilot&facets=status",
        "/v1/solutions/wohngeld-digital", "/v1/solutions/wohngeld-digital/history",
        "/v1/solutions/wohngeld-digital/interfaces", "/v1/solutions/wohngeld-digital/adoptions",
        "/v1/solutions/bauantrag-online", "/v1/lands", "/v1/organisations", "/v1/areas/05112/adoptions"]


@pytest.fixture
async def registry(client, catalogue):
    """A catalogue built through the API: solutions, an interface, adoptions taken through their lifecycle."""
    tokens = catalogue["tokens"]
    curator = tokens.auth("curator")

    async def call(method: str, url: str, body: dict, **headers) -> dict:
        response = await client.request(method, url, json=body, headers={**curator, **headers})
        assert response.status_code in (200, 201), response.text
        return response.json()

    await call("POST", "/v1/solutions", {"name": "Wohngeld digital", "provider": "land-nrw", "ozgIds": ["10000"],
                                         "status": "available", "tags": ["sozial"], "contactName": "Erika Muster"})
    await call("POST", "/v1/solutions", {"name": "Bauantrag online", "provider": "saarland", "ozgIds": ["10521"],
                                         "status": "pilot", "reifegradModel": "2.0", "reifegrad": 3})
    interface = await call("POST", "/v1/solutions/wohngeld-digital/interfaces",
                           {"kind": "xoev", "standard": "XSozial", "standardVersion": "2.1"})
    await call("PATCH", "/v1/solutions/wohngeld-digital", {"summary": "Wohngeld beantragen"}, **{"If-Match": '"v2"'})
    for ars, steps in (("051120000000", ["agreed", "onboarding", "live"]), ("05113", ["agreed"])):
        adoption = await call("POST", "/v1/solutions/wohngeld-digital/adoptions",
                              {"ars": ars, "interfaces": [interface["id"]]})
        for status in steps:
            adoption = await call("PATCH", f"/v1/adoptions/{adoption['id']}", {"status": status},
                                  **{"If-Match": f'"v{adoption["version"]}"'})
    return tokens


async def snapshot_of_api(client, tokens) -> dict[str, tuple[int, bytes, str | None]]:
    seen = {}
    for who in (None, "integrator"):
        for url in GETS:
            response = await client.get(url, headers=tokens.auth(who) if who else {})
            seen[f"{who} {url}"] = (response.status_code, response.content, response.headers.get("etag"))
    return seen


async def whole_feed() -> list:
    async with db.connection() as conn:
        events, _ = await read_events(conn, after=None, limit=100_000)
    return events


async def wipe() -> None:
    async with db.connection() as conn:
        tables = [r[0] for r in await conn.fetch(catalog.TABLES)]
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


async def max_seq() -> int:
    async with db.connection() as conn:
        return await conn.fetchval("SELECT max(seq) FROM event")


class TestRoundTrip:
    async def test_restore_gives_the_same_answers_history_and_feed(self, client, registry, tmp_path):
        api_before, feed_before, last_seq = await snapshot_of_api(client, registry), await whole_feed(), await max_seq()
        assert {status for status, _, _ in api_before.values()} == {200}
        exported = await backup.export_dir(tmp_path / "backup")
        assert exported.tables["adoption_transition"] == 6 and exported.tables["event"] == len(feed_before)
        await wipe()
        restored = await backup.restore_dir(tmp_path / "backup")
        assert restored.tables == exported.tables and restored.xids_advanced == 0

        assert await snapshot_of_api(client, registry) == api_before
        assert await whole_feed() == feed_before, "same events, same order, same cursors"
        version = json.loads(api_before["None /v1/solutions/wohngeld-digital"][1])["version"]
        changed = await client.patch("/v1/solutions/wohngeld-digital", json={"summary": "Neu"},
                                     headers={**registry.auth("curator"), "If-Match": f'"v{version}"'})
        assert changed.status_code == 200 and changed.json()["version"] == version + 1
        manifest = backup.read_manifest(tmp_path / "backup")
        async with db.connection() as conn:
            after_backup, _ = await read_events(conn, after=manifest.feed_cursor, limit=100)
        assert [e.seq for e in after_backup] == [last_seq + 1], "the backup's cursor continues with the new write"

    async def test_refuses_a_database_that_is_not_empty(self, registry, tmp_path):
        await backup.export_dir(tmp_path / "b")
        with pytest.raises(Conflict, match="not empty"):
            await backup.restore_dir(tmp_path / "b")

    async def test_refuses_other_migrations_and_broken_backups(self, registry, tmp_path):
        directory = tmp_path / "b"
        await backup.export_dir(directory)
        await wipe()
        manifest = json.loads((directory / "manifest.json").read_text())
        manifest["migrations"] = manifest["migrations"][:-1]
        (directory / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(Conflict, match="migrations"):
            await backup.restore_dir(directory)
        (directory / "event.csv").unlink()
        with pytest.raises(InvalidInput, match=r"event\.csv"):
            await backup.restore_dir(directory)
        with pytest.raises(InvalidInput, match="not empty"):
            await backup.export_dir(directory)
        assert await max_seq() is None, "nothing was written"


def shift_tx_ids(directory: Path, offset: int, *, late_seq: int | None = None) -> list[int]:
    """Pretend the backup comes from a server ``offset`` transactions further along; ``late_seq``'s
    transaction committed last. Returns the seqs in the feed order of the altered backup."""
    path = directory / "event.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    top = max(int(r["tx_id"]) for r in rows)
    for r in rows:
        r["tx_id"] = str(int(r["tx_id"]) + offset + (top + 1 - int(r["tx_id"]) if int(r["seq"]) == late_seq else 0))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    manifest = msgspec.json.decode((directory / "manifest.json").read_bytes())
    manifest["maxTxId"] = max(int(r["tx_id"]) for r in rows)
    (directory / "manifest.json").write_bytes(msgspec.json.encode(manifest))
    return [int(r["seq"]) for r in sorted(rows, key=lambda r: (int(r["tx_id"]), int(r["seq"])))]


class TestTransactionIdsOfAnotherServer:
    async def test_preserve_advances_this_server_past_the_backups_tx_ids(self, client, registry, tmp_path):
        directory = tmp_path / "b"
        await backup.export_dir(directory)
        order = shift_tx_ids(directory, 30_000, late_seq=2)
        await wipe()
        restored = await backup.restore_dir(directory)
        assert restored.xids_advanced > 0
        assert [e.seq for e in await whole_feed()] == order, "every restored event handed out, in its order"
        await self.a_new_write_comes_last(client, registry)

    async def test_too_far_ahead_is_refused_then_rebased_in_order(self, client, registry, tmp_path):
        directory = tmp_path / "b"
        await backup.export_dir(directory)
        order = shift_tx_ids(directory, 2**33, late_seq=2)  # another epoch: out of reach
        await wipe()
        with pytest.raises(Conflict, match="rebase"):
            await backup.restore_dir(directory)
        assert await max_seq() is None
        restored = await backup.restore_dir(directory, feed="rebase")
        assert restored.rebased
        assert [e.seq for e in await whole_feed()] == order
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(DISTINCT tx_id) FROM event") == 2, "one value per run"
        await self.a_new_write_comes_last(client, registry)

    async def a_new_write_comes_last(self, client, registry) -> None:
        before = await whole_feed()
        response = await client.patch("/v1/solutions/bauantrag-online", json={"summary": "Neu"},
                                      headers={**registry.auth("curator"), "If-Match": '"v1"'})
        assert response.status_code == 200, response.text
        after = await whole_feed()
        assert after[:-1] == before and after[-1].seq == max(e.seq for e in before) + 1
