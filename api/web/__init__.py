"""Server-rendered pages for people (German): catalogue, rollout map, Länder, areas, curation.

Wiring for the app factory (two lines):
    routes:  ``*WEB_CONTROLLERS``                  (page controllers and their static assets)
    app:     ``template_config=template_config()``
"""

from __future__ import annotations

from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from api.web import forms, kommune_views, texts
from api.web.controller import PageController
from api.web.curation import CurationController
from api.web.downloads import MapDownloadController
from api.web.rechtliches import LegalController
from api.web.vergleich import ComparisonController

WEB_DIR = Path(__file__).parent
TEMPLATE_DIR = WEB_DIR / "templates"
WEB_STATIC_DIR = WEB_DIR / "static"


def _configure(engine: JinjaTemplateEngine) -> None:
    texts.register(engine.engine)
    kommune_views.register(engine.engine)
    engine.engine.globals["LABELS"] = forms.LABELS


def template_config() -> TemplateConfig:
    return TemplateConfig(directory=TEMPLATE_DIR, engine=JinjaTemplateEngine, engine_callback=_configure)


WEB_CONTROLLERS = [
    PageController,
    ComparisonController,
    MapDownloadController,
    LegalController,
    CurationController,
    create_static_files_router(path="/static/web", directories=[WEB_STATIC_DIR], include_in_schema=False,
                               name="web_static"),
]

__all__ = ["WEB_CONTROLLERS", "WEB_STATIC_DIR", "template_config"]
