"""compose.yaml cannot run here (no Docker engine); keep it correct by reading it."""

from pathlib import Path

import yaml

from efa_registry.settings import Settings

REPO = Path(__file__).resolve().parent.parent


def load() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text())


def test_services_have_pinned_images_and_healthchecks():
    services = load()["services"]
    assert set(services) >= {"db", "api"}
    image = services["db"]["image"]
    assert image.startswith("postgres:16") and image != "postgres:latest" and image.count(".") >= 1
    for name in ("db", "api"):
        assert services[name]["healthcheck"]["test"], name
    assert services["api"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "pgdata" in load()["volumes"]


def test_api_is_configured_through_known_efa_variables():
    env = load()["services"]["api"]["environment"]
    known = {variable for variable, _ in Settings.describe()}
    assert {k for k in env if k.startswith("EFA_")} <= known
    assert env["EFA_DATABASE_URL"].startswith("postgresql://") and "@db:5432/" in env["EFA_DATABASE_URL"]
    assert env["EFA_LOG_FORMAT"] == "json"


def test_api_image_migrates_before_serving():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert load()["services"]["api"]["build"] == "."
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert cmd.index("efa-registry migrate") < cmd.index("efa-registry seed") < cmd.index("uvicorn api.asgi:app")


def test_several_stateless_api_workers_and_the_webhook_worker_once():
    services = load()["services"]
    api = services["api"]["environment"]
    assert int(api["EFA_WORKERS"]) > 1 and api["EFA_WEBHOOK_WORKER"] == "false"
    workers = [s for s in services.values() if s.get("command") == ["efa-registry", "worker"]]
    assert len(workers) == 1 and "deploy" not in workers[0]  # one replica: deliveries are not shared out
    assert workers[0]["environment"]["EFA_DATABASE_URL"] == services["api"]["environment"]["EFA_DATABASE_URL"]
