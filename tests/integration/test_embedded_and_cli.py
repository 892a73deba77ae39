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
    assert failed.returncode == 1 and "Fehler: GV100AD: 1 fehlerhafte Sätze, nichts importiert" in failed.stderr
    assert "Zeile 3: Satz zu kurz: 32 Zeichen, Satzart 60 braucht 150" in failed.stderr  # German, as the CLI is


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


def wait_ready(port: int | str, seconds: float = 90) -> httpx.Response | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    return None


def test_serve_port_flag_wins_and_sigterm_stops_the_database(cli_env):
    port = free_port()  # the flag, not EFA_PORT, decides
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
                              env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    pgdata = Path(cli_env["EFA_DATA_DIR"]) / "pgdata"
    try:
        ready = wait_ready(port)
        assert ready is not None and ready.status_code == 200
        lands = httpx.get(f"http://127.0.0.1:{port}/v1/lands").json()
        assert sum(land["gemeinden"] for land in lands) == 10_751  # the shipped edition, without --demo
        assert postgres_running(pgdata)
        family = psutil.Process(server.pid).children(recursive=True)
        commands = [" ".join(p.cmdline()) for p in family if "python" in p.name()]
        assert sum("api.cli worker" in c for c in commands) == 1  # webhooks delivered by exactly one process
        assert sum("multiprocessing" in c and "spawn_main" in c for c in commands) == 2  # two API workers
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    assert server.returncode == 0, output
    assert not postgres_running(pgdata), output


def test_serve_refuses_a_busy_port_before_starting_anything(cli_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli("serve", "--port", str(port), env=cli_env)
    assert done.returncode == 4
    assert f"127.0.0.1:{port} ist schon belegt" in done.stderr
    assert "serve.listening" not in done.stdout + done.stderr
    assert not (Path(cli_env["EFA_DATA_DIR"]) / "pgdata").exists()  # nothing started, nothing migrated


def test_a_stale_postmaster_pid_is_recovered(tmp_path):
    first = EmbeddedPostgres(tmp_path)
    first.start()
    first.stop()
    # What a crash leaves behind: a pid file naming a process that is not postgres (here: us).
    (first.pgdata / "postmaster.pid").write_text(f"{os.getpid()}\n{first.pgdata}\n")
    second = EmbeddedPostgres(tmp_path)
    try:
        second.start()
        assert second.alive() and second.postmaster_pid() != os.getpid()
    finally:
        second.stop()
    assert not postgres_running(second.pgdata)


def test_a_dead_postmaster_is_restarted_by_the_supervisor(tmp_path):
    import asyncio

    import asyncpg

    server = EmbeddedPostgres(tmp_path)
    dsn = server.start()
    server.supervise(interval=0.2)
    try:
        os.kill(server.postmaster_pid(), signal.SIGKILL)
        deadline, answer = time.monotonic() + 30, None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = asyncio.run(asyncpg.connect(dsn, timeout=2)).is_closed()
            except (OSError, asyncpg.PostgresError):
                time.sleep(0.3)
        assert answer is False, "the embedded PostgreSQL did not come back"
    finally:
        server.stop()


@pytest.mark.parametrize("command", [[], ["serve"], ["import"], ["seed"], ["token"], ["token", "create"],
                                     ["settings"], ["export"], ["restore"], ["worker"], ["migrate"]])
def test_every_command_explains_itself_in_german(command, cli_env):
    done = cli(*command, "--help", env=cli_env)
    assert done.returncode == 0
    assert "Exit-Codes" in done.stdout and "usage:" in done.stdout
    if command == ["import"]:
        assert all(kind in done.stdout for kind in ("gv100ad", "ozg-leistungen", "leika", "adoptions", "publiccode"))


def test_settings_show_values_masked_and_their_source(cli_env):
    env = cli_env | {"EFA_DATABASE_URL": "postgresql://efa:geheim@db.example/efa"}
    done = cli("settings", env=env)
    assert done.returncode == 0
    assert "postgresql://efa:****@db.example/efa    (Umgebungsvariable)" in done.stdout
    assert "geheim" not in done.stdout
    assert "EFA_LOG_LEVEL=info    (Vorgabe)" in done.stdout


def test_invalid_setting_exits_3_and_empty_token_list_says_so(cli_env):
    bad = cli("settings", env=cli_env | {"EFA_PORT": "achtzig"})
    assert bad.returncode == 3 and "port" in bad.stderr
    listed = cli("token", "list", env=cli_env)
    assert listed.returncode == 0 and "Noch keine Tokens" in listed.stdout
