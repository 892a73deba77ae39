"""The whole HTTP surface in one sorted list: a route added or removed shows up here in review.

When this fails on purpose, copy the printed table (``pytest -s tests/api/test_route_table.py``)
into ``ROUTES`` below. OPTIONS and HEAD are left out: Litestar answers them on every path.
"""

from __future__ import annotations

ROUTES = """
    GET     /
    GET     /barrierefreiheit
    GET     /datenschutz
    GET     /favicon.ico
    GET     /gebiete/{ars:str}
    GET     /health
    GET     /impressum
    GET     /kuratierung
    POST    /kuratierung/abmelden
    POST    /kuratierung/anmelden
    GET     /kuratierung/loesungen/neu
    POST    /kuratierung/loesungen/neu
    GET     /kuratierung/loesungen/{slug:str}
    POST    /kuratierung/loesungen/{slug:str}
    GET     /kuratierung/loesungen/{slug:str}/nachnutzungen
    GET     /kuratierung/loesungen/{slug:str}/schnittstellen/neu
    POST    /kuratierung/loesungen/{slug:str}/schnittstellen/neu
    POST    /kuratierung/nachnutzungen/{adoption_id:uuid}
    GET     /kuratierung/schnittstellen/{interface_id:uuid}
    POST    /kuratierung/schnittstellen/{interface_id:uuid}
    GET     /laender/{code:str}
    GET     /laender/{code:str}/karte.csv
    GET     /laender/{code:str}/karte.svg
    GET     /loesungen/{slug:str}
    GET     /metrics
    GET     /ready
    GET     /rollout
    GET     /rollout/karte.csv
    GET     /rollout/karte.svg
    GET     /schema
    GET     /schema-assets/swagger-ui-bundle.js
    GET     /schema/oauth2-redirect.html
    GET     /schema/openapi.json
    GET     /schema/{path:str}
    GET     /static/web/{file_path:path}
    GET     /static/{file_path:path}
    GET     /v1/adoptions/{adoption_id:uuid}
    PATCH   /v1/adoptions/{adoption_id:uuid}
    GET     /v1/areas
    GET     /v1/areas/compare
    POST    /v1/areas/resolve
    GET     /v1/areas/{ars:str}
    GET     /v1/areas/{ars:str}/adoptions
    GET     /v1/areas/{ars:str}/scorecard
    GET     /v1/events
    GET     /v1/events/cursor
    GET     /v1/export/{file:str}
    GET     /v1/feed.atom
    GET     /v1/feed.json
    DELETE  /v1/interfaces/{interface_id:uuid}
    GET     /v1/interfaces/{interface_id:uuid}
    PATCH   /v1/interfaces/{interface_id:uuid}
    GET     /v1/lands
    GET     /v1/lands/{code:str}
    GET     /v1/lands/{code:str}/rollout
    GET     /v1/organisations
    POST    /v1/organisations
    GET     /v1/organisations/{key:str}
    PATCH   /v1/organisations/{key:str}
    GET     /v1/ozg-leistungen
    GET     /v1/ozg-leistungen/{ozgId:str}
    GET     /v1/ozg-leistungen/{ozgId:str}/rollout
    GET     /v1/rollout
    GET     /v1/solutions
    POST    /v1/solutions
    POST    /v1/solutions/import/publiccode
    DELETE  /v1/solutions/{key:str}
    GET     /v1/solutions/{key:str}
    PATCH   /v1/solutions/{key:str}
    GET     /v1/solutions/{key:str}/adoptions
    POST    /v1/solutions/{key:str}/adoptions
    POST    /v1/solutions/{key:str}/adoptions/bulk
    POST    /v1/solutions/{key:str}/adoptions/used-by
    GET     /v1/solutions/{key:str}/history
    GET     /v1/solutions/{key:str}/interfaces
    POST    /v1/solutions/{key:str}/interfaces
    GET     /v1/solutions/{key:str}/publiccode.yml
    GET     /v1/solutions/{key:str}/rollout
    GET     /v1/solutions/{key:str}/rollout/missing
    GET     /v1/solutions/{key:str}/rollout/missing.csv
    GET     /v1/solutions/{key:str}/rollout/timeline
    GET     /v1/sources
    GET     /v1/suggest
    GET     /v1/themenfelder
    GET     /v1/tokens
    POST    /v1/tokens
    DELETE  /v1/tokens/{token_id:uuid}
    GET     /v1/webhooks
    POST    /v1/webhooks
    DELETE  /v1/webhooks/{webhook_id:uuid}
    GET     /v1/webhooks/{webhook_id:uuid}
    PATCH   /v1/webhooks/{webhook_id:uuid}
    GET     /v1/webhooks/{webhook_id:uuid}/deliveries
    GET     /vergleich
"""


def route_table(app) -> str:
    rows = sorted({(route.path, method) for route in app.routes for method in getattr(route, "methods", ())
                   if method not in ("OPTIONS", "HEAD")})
    return "\n".join(f"    {method:<7} {path}" for path, method in rows)


def test_every_method_and_path_is_pinned(settings):
    from api.app import create_app

    table = route_table(create_app(settings))
    print(f"\nROUTES = \"\"\"\n{table}\n\"\"\"")
    assert table.splitlines() == ROUTES.strip("\n").splitlines()


def test_no_guard_dependency_or_handler_hops_to_a_worker_thread(settings):
    """Litestar runs a plain-function guard, and a handler or dependency marked ``sync_to_thread``,
    in a worker thread: a thread hop on every request (it cost a search over HTTP most of its time)."""
    import inspect

    from api.app import create_app

    app = create_app(settings)
    handlers = [h for route in app.routes for h in getattr(route, "route_handlers", ())]
    layers = {id(layer): layer for h in handlers for layer in h.ownership_layers}.values()
    guards = [g for layer in layers for g in (layer.guards or ())]
    assert guards and all(inspect.iscoroutinefunction(g) for g in guards)
    threaded = [f"{layer}: {name}" for layer in layers for name, provide in (layer.dependencies or {}).items()
                if getattr(provide, "sync_to_thread", False)]
    threaded += [str(h) for h in handlers if getattr(h, "has_sync_callable", False) and h.sync_to_thread]
    assert threaded == []
