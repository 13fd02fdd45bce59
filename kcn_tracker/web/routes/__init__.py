"""One module per concern; ``ROUTERS`` lists them for the app factory."""

from kcn_tracker.web.routes import admin, api, auth, dashboard, edits, imports, obstacles, records, reports, tenants

# records last: its "/{kind}/{code}" would otherwise shadow the other two-segment paths.
ROUTERS = [api.router, auth.router, dashboard.router, edits.router, obstacles.router, imports.router, reports.router,
           admin.router, tenants.router, records.router]
