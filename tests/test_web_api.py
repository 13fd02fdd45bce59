"""The web application's JSON endpoints (issue 17 requirement 4): every answer validates against the
declared schema of the matching command (``interface.catalogue.full_schema``) and carries exactly
the data ``kcn … --format json`` prints for the same query; login required; same security headers."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from cli_helpers import kcn
from kcn_tracker.interface.catalogue import full_schema
from tests.web_helpers import TODAY, client, login, make_app

#: (API path, CLI arguments, schema): the same query asked both ways.
CASES = [
    ("/api/v1/progress?as_of=2026-03-31", ("progress", "--as-of", "31/03/2026"), "progress"),
    ("/api/v1/progress", ("progress",), "progress"),
    ("/api/v1/zones", ("zones", "list"), "zones-list"),
    ("/api/v1/zones?kind=KCN&as_of=2025-12-01", ("zones", "list", "--kind", "KCN", "--as-of", "01/12/2025"), "zones-list"),
    ("/api/v1/projects?technology=solar", ("energy", "list", "--technology", "solar"), "energy-list"),
    ("/api/v1/projects?stage=construction", ("energy", "list", "--stage", "construction"), "energy-list"),
    ("/api/v1/projects?q=phuoc%20thai&as_of=2025-12-01", ("energy", "list", "--text", "phuoc thai", "--as-of", "01/12/2025"),
     "energy-list"),
    ("/api/v1/projects?overdue=1", ("energy", "list", "--overdue"), "energy-list"),
    ("/api/v1/projects?commune=cam%20lam", ("energy", "list", "--commune", "cam lam"), "energy-list"),
    ("/api/v1/zones/{zone}", ("zones", "show", "{zone}"), "zones-show"),
    ("/api/v1/projects/{project}?as_of=2026-03-31", ("energy", "show", "{project}", "--as-of", "31/03/2026"), "energy-show"),
    ("/api/v1/history/project/{project}", ("history", "{project}"), "history"),
    ("/api/v1/history/zone/{zone}?as_of=2025-12-31", ("history", "{zone}", "--zone", "--as-of", "31/12/2025"), "history"),
    ("/api/v1/summary?as_of=2026-03-31", ("summary", "--as-of", "31/03/2026"), "summary"),
    ("/api/v1/energy-summary?by=year", ("energy", "summary", "--by", "year"), "energy-summary-year"),
    *[(f"/api/v1/energy-summary?by={by}&as_of=2026-03-31", ("energy", "summary", "--by", by, "--as-of", "31/03/2026"),
       "energy-summary") for by in ("technology", "stage", "zone", "investor")],
    ("/api/v1/changes?from=2025-01-01&to=2025-12-31", ("changes", "--from", "01/01/2025", "--to", "31/12/2025"), "changes"),
]


@pytest.fixture
def app(bundled_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", TODAY)
    return make_app(bundled_url, tmp_path / "files")


@pytest.fixture
def viewer(app):
    c = client(app)
    login(c, "viewer")
    return c


def _valid(payload: dict, schema: str) -> None:
    errors = sorted(Draft202012Validator(full_schema(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)
                    .iter_errors(payload), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def _codes(viewer) -> dict[str, str]:
    zones = viewer.get("/api/v1/zones").json()["data"]
    projects = viewer.get("/api/v1/projects?q=phuoc%20thai%202").json()["data"]
    return {"zone": next(z["code"] for z in zones if z["kind"] == "KCN"), "project": projects[0]["code"]}


def test_every_endpoint_gives_the_cli_data_in_the_declared_schema(viewer, bundled_url):
    codes = _codes(viewer)
    for path, args, schema in CASES:
        r = viewer.get(path.format(**codes))
        assert r.status_code == 200, (path, r.text)
        assert r.headers["content-type"].startswith("application/json")
        payload = r.json()
        _valid(payload, schema)
        assert payload["schema"] == schema
        result = kcn(bundled_url, *(a.format(**codes) for a in args), "--format", "json")
        assert result.exit_code == 0, result.output
        cli = json.loads(result.stdout)
        assert payload["data"], path  # something real is compared
        assert payload["data"] == cli["data"], path
        assert payload["as_of"] == cli["as_of"], path


def test_filters_really_filter_and_lists_are_not_empty(viewer):
    everything = viewer.get("/api/v1/projects").json()["data"]
    solar = viewer.get("/api/v1/projects?technology=solar").json()["data"]
    assert everything and solar and len(solar) < len(everything)
    kcn_only = viewer.get("/api/v1/zones?kind=KCN").json()["data"]
    assert kcn_only and {z["kind"] for z in kcn_only} == {"KCN"}


def test_login_required_and_errors_are_json(app):
    anonymous = client(app)
    r = anonymous.get("/api/v1/progress")
    assert r.status_code == 401 and r.json()["error"]["status"] == 401
    c = client(app)
    login(c, "viewer")
    bad_date = c.get("/api/v1/progress?as_of=31/13/2026")
    assert bad_date.status_code == 400 and "as_of" in bad_date.json()["error"]["message"]
    assert c.get("/api/v1/changes").status_code == 400
    assert c.get("/api/v1/energy-summary?by=color").status_code == 400
    unknown = c.get("/api/v1/zones/khong-co-khu-nay")
    assert unknown.status_code == 404 and unknown.json()["error"]["message"]
    assert c.get("/api/v1/history/tenant/x").status_code == 404
    assert c.get("/api/v1/nothing").status_code == 404


def test_same_security_headers_as_the_pages(viewer):
    page = viewer.get("/")
    api = viewer.get("/api/v1/zones")
    for header in ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"):
        if header in page.headers:
            assert api.headers.get(header) == page.headers[header], header
    assert "content-security-policy" in api.headers and api.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in api.headers["cache-control"]
