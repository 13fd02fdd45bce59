"""The dashboard: progress against the targets, the same computation as ``kcn progress``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kcn_tracker.web.deps import Viewer, as_of, render, require

router = APIRouter()


def progress_report(request: Request, day):
    """``progress.compute_progress`` on the app's database (plain SQL, no ORM), as ``kcn progress`` does;
    cached until the register changes."""
    from kcn_tracker.interface.queries import progress_report as compute
    from kcn_tracker.web.cache import register_token

    with request.app.state.engine.connect() as connection:
        return request.app.state.cache.get(("progress", day), register_token(connection),
                                           lambda: compute(connection, day),
                                           reader=getattr(request.state, "viewer", None) and request.state.viewer.username)


def alerts_rows(request: Request, day):
    """``alerts.compute_alerts`` (as ``kcn alerts``), cached like the progress report."""
    from kcn_tracker.alerts import compute_alerts
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.staleness import stale_months
    from kcn_tracker.web.cache import register_token

    months = stale_months()
    with request.app.state.engine.connect() as connection:
        def compute() -> list:  # the alerts read no record's past: today's records without history
            return compute_alerts(load_records(connection, as_of=day, history=False), day, stale_months=months)

        return request.app.state.cache.get(("alerts", day, months), register_token(connection), compute,
                                           reader=getattr(request.state, "viewer", None) and request.state.viewer.username)


@router.get("/")
def dashboard(request: Request, viewer: Viewer = Depends(require("viewer"))) -> Response:
    from kcn_tracker.progress_records import VERDICTS

    day = as_of(request)
    report = progress_report(request, day)
    verdicts = {v.target_id: v for v in report.verdicts}
    years = sorted(report.energy[0].cumulative_by_year) if report.energy else []
    from kcn_tracker.alerts import KINDS, SEVERITY_VI, counts

    alerts = alerts_rows(request, day)  # most severe first, as `kcn alerts` lists them
    groups = [(severity, label, [a for a in alerts if a["severity"] == severity]) for severity, label in SEVERITY_VI.items()]
    return render(request, "dashboard.html", report=report, verdicts=verdicts, verdict_labels=VERDICTS, years=years,
                  as_of=day, land=report.land, alert_groups=[g for g in groups if g[2]],
                  alert_counts=[(KINDS[k][2], n) for k, n in counts(alerts).items() if n])
