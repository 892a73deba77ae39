"""The whole HTTP surface in one list (controllers hold the handlers)."""

from __future__ import annotations

from api.adoptions.controller import AdoptionController
from api.adoptions.used_by import UsedByController
from api.areas.controller import AreaController, LandController
from api.exports.controller import ExportController
from api.feed.controller import EventController, HumanFeedController
from api.health.controller import HealthController
from api.metrics import MetricsController
from api.organisations.controller import OrganisationController
from api.ozg.controller import OzgLeistungController, ThemenfeldController
from api.publiccode.controller import PubliccodeController
from api.rollout.controller import RolloutController
from api.scorecard.controller import ScorecardController, SolutionMissingController
from api.search.controller import SuggestController
from api.solutions.controller import InterfaceController, SolutionController
from api.sources.controller import SourceController
from api.tokens.controller import TokenController
from api.web import WEB_CONTROLLERS
from api.webhooks.controller import WebhookController

ROUTES = [
    HealthController,
    MetricsController,
    LandController,
    SourceController,
    AreaController,
    ThemenfeldController,
    OzgLeistungController,
    OrganisationController,
    PubliccodeController,
    SolutionController,
    InterfaceController,
    TokenController,
    AdoptionController,
    EventController,
    HumanFeedController,
    WebhookController,
    ExportController,
    RolloutController,
    ScorecardController,
    SolutionMissingController,
    SuggestController,
    UsedByController,
    *WEB_CONTROLLERS,
]
