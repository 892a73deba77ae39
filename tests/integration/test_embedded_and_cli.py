"""The fresh-machine path: the embedded PostgreSQL keeps data across restarts and stops
cleanly; the CLI imports, and `serve --demo` serves the demo on it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from efa_registry.db.embedded import EmbeddedPostgres
from tests.conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def postgres_running(pgdata: Path) -> bool:
    return any(p.info["name"] == "postgres" and str(pgdata) in " ".join(p.info["cmdline"] or [])
               for p in psutil.process_iter(["name", "cmdline"]))


def test_embedded_server_keeps_data_across_restarts_and_stops(tmp_path):
    import asyncio

    import asyncpg

    async def run(dsn: str, sql: str) -> list:
        conn = await asyncpg.connect(dsn)
        try:
            return await conn.fetch(sql)
        finally:
            await conn.close()

    first = EmbeddedPostgres(tmp_path)
    dsn = first.start()
    asyncio.run(run(dsn, "CREATE TABLE kept AS SELECT 42 AS x"))
    first.stop()
    assert not postgres_running(first.pgdata)
    second = EmbeddedPostgres(tmp_path)
    try:
        rows = asyncio.run(run(second.start(), "SELECT x FROM kept"))
        assert [r["x"] for r in rows] == [42]
    finally:
        second.stop()
    assert not postgres_running(second.pgdata)


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EFA_")}
    return env | {"EFA_DATA_DIR": str(tmp_path / "data"), "EFA_LOG_FORMAT": "json", "EFA_PORT": str(free_port())}


def test_cli_import_reports_counts_and_line_numbers(cli_env, tmp_path):
    done = cli("import", "gv100ad", str(FIXTURES / "gv100ad" / "small_utf8.txt"), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "neu" in done.stdout and "gemeinde:" in done.stdout
    broken = tmp_path / "broken.txt"
    lines = (FIXTURES / "gv100ad" / "small_utf8.txt").read_text(encoding="utf-8").splitlines()
    lines[2] = "60" + "x" * 30
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    failed = cli("import", "gv100ad", str(broken), env=cli_env)
    assert failed.returncode == 1 and "line 3" in failed.stderr


def test_serve_demo_answers_and_stops_its_database(cli_env):
    port = cli_env["EFA_PORT"]
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--demo"], env=cli_env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, ready = time.monotonic() + 90, None
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert ready is not None and ready.status_code == 200
        lands = httpx.get(f"http://127.0.0.1:{port}/v1/lands").json()
        assert len(lands) == 16 and next(land for land in lands if land["code"] == "10")["gemeinden"] == 52
        solutions = httpx.get(f"http://127.0.0.1:{port}/v1/solutions", params={"limit": 50}).json()["items"]
        assert len(solutions) >= 12 and all(s["isDemo"] for s in solutions)
        docs = httpx.get(f"http://127.0.0.1:{port}/schema")
        assert docs.status_code == 200 and "/schema-assets/swagger-ui-bundle.js" in docs.text
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=60)[0]
    assert server.returncode == 0, output
    assert '"request_id"' in output  # request lines carry their id (JSON logs)
    pgdata = Path(cli_env["EFA_DATA_DIR"]) / "pgdata"
    assert not postgres_running(pgdata)
