"""An outage of the database, end to end: a real `efa-registry serve` on the embedded PostgreSQL
takes writes while its postmaster is killed with SIGKILL. The supervisor starts it again; the API
answers 503 with Retry-After meanwhile (never 500), heals without a restart of its own, and every
write it acknowledged is there afterwards."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.test_embedded_and_cli import cli, free_port, wait_ready

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WRITES_BEFORE = 25
WRITES_AFTER = 25
RECOVERY_SECONDS = 30  # kill → first acknowledged write again; the supervisor looks every second
BODY_TIMEOUT = 2


@pytest.fixture
def server(tmp_path):
    """A served registry (official data, no demo, webhook worker off) and a curator token for it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EFA_")}
    port = free_port()
    env |= {"EFA_DATA_DIR": str(tmp_path / "data"), "EFA_LOG_FORMAT": "json", "EFA_PORT": str(port),
            "EFA_WEBHOOK_WORKER": "false", "EFA_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT)}
    created = cli("token", "create", "--role", "curator", "--name", "Ausfalltest", env=env)
    assert created.returncode == 0, created.stderr
    secret = re.search(r"Geheimnis[^:]*: (\S+)", created.stdout).group(1)
    # The log goes to a file: a pipe nobody reads until the end fills up, and then the server's
    # workers block on their next log line.
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve"], env=env, stdout=sink,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            ready = wait_ready(port, seconds=180)
            assert ready is not None and ready.status_code == 200
            yield f"http://127.0.0.1:{port}", secret, Path(env["EFA_DATA_DIR"]) / "pgdata"
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    output = log.read_text()
    print("\n".join(output.splitlines()[-80:]))  # shown when the test fails
    assert process.returncode == 0, output[-3000:]


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])


def test_a_killed_database_answers_503_heals_and_loses_no_acknowledged_write(server):
    base, secret, pgdata = server
    auth = {"Authorization": f"Bearer {secret}"}
    acknowledged: list[str] = []
    refused: list[httpx.Response] = []
    with httpx.Client(base_url=base, headers=auth, timeout=20) as api:

        def write(n: int) -> httpx.Response:
            slug = f"ausfall-{n:04d}"
            response = api.post("/v1/organisations", json={"kind": "kommune", "name": f"Ausfall {n}", "slug": slug})
            if response.status_code == 201:
                acknowledged.append(slug)
            else:
                refused.append(response)
            return response

        n = 0
        while len(acknowledged) < WRITES_BEFORE:
            n += 1
            assert write(n).status_code == 201
        killed_pid = postmaster_pid(pgdata)
        os.kill(killed_pid, signal.SIGKILL)
        killed_at = time.monotonic()
        readiness = [api.get("/ready").status_code]
        healed_at = None
        while len(acknowledged) < WRITES_BEFORE + WRITES_AFTER:
            assert time.monotonic() - killed_at < RECOVERY_SECONDS + 30, "the API did not heal"
            n += 1
            if write(n).status_code == 201 and healed_at is None:
                healed_at = time.monotonic()
            elif healed_at is None:
                readiness.append(api.get("/ready").status_code)
                time.sleep(0.05)
        present = set()
        after = None
        while True:
            params = {"q": "Ausfall", "limit": 200, **({"after": after} if after else {})}
            page = api.get("/v1/organisations", params=params)
            assert page.status_code == 200
            present |= {o["slug"] for o in page.json()["items"]}
            after = page.json()["next"] and dict(httpx.URL(page.json()["next"]).params)["after"]
            if not after:
                break
        ready_again = api.get("/ready")

    assert healed_at is not None and healed_at - killed_at < RECOVERY_SECONDS
    assert postmaster_pid(pgdata) != killed_pid  # a new postmaster: the supervisor restarted it
    assert refused, "the kill should have cost at least one write"
    for response in refused:
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["retry-after"]) > 0
        assert response.json()["type"].endswith("/unavailable")
    assert 503 in readiness and ready_again.status_code == 200
    assert set(acknowledged) <= present, sorted(set(acknowledged) - present)


def raw_request(base: str, head: str, body: bytes = b"", *, wait: float) -> tuple[str, float]:
    """Send ``head`` and ``body`` and nothing more; (status line, seconds until it came)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as conn:
        started = time.monotonic()
        conn.sendall(head.encode() + b"\r\n\r\n" + body)
        answer = conn.recv(65536).decode("latin-1")
        return answer.split("\r\n", 1)[0], time.monotonic() - started


def test_slow_bodies_and_oversized_headers_do_not_hold_a_worker(server):
    base, secret, _ = server
    head = (f"POST /v1/organisations HTTP/1.1\r\nHost: registry\r\nAuthorization: Bearer {secret}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100")
    status, seconds = raw_request(base, head, b'{"kind"', wait=BODY_TIMEOUT + 10)
    assert " 408 " in status and seconds < BODY_TIMEOUT + 3, (status, seconds)
    status, _ = raw_request(base, "GET /health HTTP/1.1\r\nHost: registry\r\nX-Padding: " + "x" * 20_000, wait=10)
    assert " 431 " in status, status
    status, _ = raw_request(base, "GET /v1/solutions?q=" + "x" * 9000 + " HTTP/1.1\r\nHost: registry", wait=10)
    assert " 414 " in status, status
    assert httpx.get(f"{base}/health", timeout=5).status_code == 200  # and the server serves on
