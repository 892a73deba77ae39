"""The whole HTTP surface in one list (controllers hold the handlers)."""

from __future__ import annotations

from api.areas.controller import AreaController, LandController
from api.health.controller import HealthController
from api.ozg.controller import OzgLeistungController, ThemenfeldController

ROUTES = [
    HealthController,
    LandController,
    AreaController,
    ThemenfeldController,
    OzgLeistungController,
]
