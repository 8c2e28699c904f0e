"""The versioned JSON API: /api/v1/, assembled from each app's router."""

from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from guichet.accounts.api import router as accounts_router
from guichet.api.auth import AUTH
from guichet.governance.api import router as governance_router
from guichet.missions.api import router as missions_router
from guichet.needs.api import router as needs_router
from guichet.network.api import router as network_router

api = NinjaAPI(
    title="Guichet API",
    version="1",
    description=(
        "The JSON API of a Guichet instance. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`), created in My space → API tokens."
    ),
    auth=AUTH,
    urls_namespace="api-1",
    throttle=[AnonRateThrottle("60/m"), AuthRateThrottle("600/m")],
)
api.add_router("/", accounts_router)
api.add_router("/", network_router)
api.add_router("/", needs_router)
api.add_router("/", missions_router)
api.add_router("/", governance_router)

urlpatterns = api.urls
