"""Requests generated from our own OpenAPI document (schemathesis, property-based), against the
real app in process: every operation, anonymous and with a curator token, schema-valid and
schema-invalid input. Whatever is sent, the answer is no 5xx, a documented status with a documented
media type, and a body that matches the documented schema.

The requests run on the test session's event loop (the app's pool lives there), not on the
thread schemathesis would start for an ASGI app; a case becomes an httpx request through
requests' own preparation, so bodies, queries and headers are serialised exactly as schemathesis
means them.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from api.app import create_app
from efa_registry.settings import Settings

BASE = "http://registry.test"
EXAMPLES = 8  # per operation, mode and caller: the whole file stays well under two minutes on 2 cores

CONFIG = schemathesis.Config.from_dict({
    "seed": 11,
    "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
    "checks": {
        # A schema cannot say which cursors exist, which references resolve or which parameters make
        # sense together: schema-valid input may still earn a 400/422 naming the field (the status and
        # schema checks hold those answers to the document).
        "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409",
                                                            "412", "422", "428"]},
    },
})
# Every check that judges one response. The others re-send requests to a network server (ignored
# auth, unsupported methods) or need a stateful run (use after free); OPTIONS and HEAD are probed by
# the coverage phase through this same transport.
CHECKS = [checks.status_code_conformance, checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance, checks.positive_data_acceptance, checks.negative_data_rejection,
          checks.missing_required_header, checks.allow_header_conformance]

# The document is built by an app that never connects (create_app has no side effects); requests go
# to the session's app, whose document is the same.
schema = schemathesis.openapi.from_dict(create_app(Settings.from_env({})).openapi_schema.to_schema(), config=CONFIG)
LIMITS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="session")
async def session_loop():
    return asyncio.get_running_loop()


def _call(case, headers: dict[str, str], app, loop: asyncio.AbstractEventLoop) -> None:
    if isinstance(case.query, dict) and str(case.query.get("wait", "")).strip().isdigit():
        case.query["wait"] = 0  # the feed's long poll would hold each example up to 30 s (tested in test_feed_api)
    kwargs = case.as_transport_kwargs(base_url=BASE, headers=headers)
    prepared = requests.Request(**{k: kwargs[k] for k in ("method", "url", "headers", "params", "cookies",
                                                           "data", "json", "files") if k in kwargs}).prepare()

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
            return await client.request(prepared.method, prepared.url, headers=dict(prepared.headers),
                                        content=prepared.body)

    response = loop.run_until_complete(send())
    assert response.status_code < 500, (response.status_code, response.text, case.as_curl_command())
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@LIMITS
def test_anonymous(case, app, session_loop, catalogue):
    _call(case, {}, app, session_loop)


@schema.parametrize()
@LIMITS
def test_curator(case, app, session_loop, catalogue):
    _call(case, {"Authorization": f"Bearer {catalogue['tokens']['curator']}"}, app, session_loop)
