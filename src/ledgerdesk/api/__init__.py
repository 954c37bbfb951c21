"""The REST API at /api/v1/: one router per app, assembled here. OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from ledgerdesk.api.auth import SessionAuth, TokenAuth
from ledgerdesk.api.coach import router as coach_router
from ledgerdesk.desk.api import router as desk_router
from ledgerdesk.ledger.api import router as ledger_router
from ledgerdesk.parties.api import router as parties_router
from ledgerdesk.receivables.api import router as receivables_router

api = NinjaAPI(
    title="LedgerDesk API",
    version="1",
    description="Parties, ledger, cases and coaching for integrations. "
    "Authenticate with `Authorization: Bearer <token>` (see `ledgerdesk api-token`).",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/parties", parties_router)
api.add_router("/", ledger_router)
api.add_router("/cases", desk_router)
api.add_router("/coach", coach_router)
api.add_router("/receivables", receivables_router)
