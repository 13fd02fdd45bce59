"""The bundled register: reconciliation with FACTS §2, 33 + 27 = 60, citations, idempotent loading."""

import csv
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from conftest import REPO
from kcn_tracker.bundled import load_bundled_data
from kcn_tracker.db import session_scope
from kcn_tracker.errors import AmbiguousName, UnknownRecord
from kcn_tracker.models import Document, Event, Obstacle, PlanFact, Project, Technology, Zone
from kcn_tracker.registry import resolve, views
from kcn_tracker.workflow import update_record

# FACTS.md §2 (004 §III.2.3(2)): MW per technology of the 60 projects + 8 MW unallocated small hydro.
FACTS_MW = {"lng": "1500", "pumped_storage": "2400", "solar": "2329.9", "onshore_wind": "1895", "small_hydro": "92.5",
            "large_hydro": "80", "waste_to_energy": "78", "battery_storage": "7", "rooftop_solar": "135"}
DATA = REPO / "data"


def _counts(engine):
    with session_scope(engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Zone, Project, Event, Obstacle, Document))


@pytest.fixture
def loaded(engine):
    load_bundled_data(engine)
    return engine


def test_per_technology_totals_reconcile_exactly_with_facts(loaded):
    with session_scope(loaded) as s:
        rows = s.execute(select(Project.technology, Project.capacity_mw).where(
            Project.plan_role.in_(["named", "unnamed", "unallocated"]))).all()
        plan = dict(s.execute(select(Technology.key, Technology.plan_mw)).all())
        total = s.scalar(select(PlanFact.value).where(PlanFact.key == "plan_total_mw"))
    sums: dict[str, Decimal] = {}
    for tech, mw in rows:
        sums[tech] = sums.get(tech, Decimal()) + Decimal(str(mw))
    assert sums == {k: Decimal(v) for k, v in FACTS_MW.items()}
    assert sum(sums.values()) == Decimal("8517.4") == Decimal(str(total))
    assert {k: Decimal(str(v)) for k, v in plan.items() if v is not None} == {k: Decimal(v) for k, v in FACTS_MW.items()}


def test_33_named_plus_27_unnamed_is_60(loaded):
    with session_scope(loaded) as s:
        named = s.scalar(select(func.count()).select_from(Project).where(Project.plan_role == "named", Project.in_plan_60))
        placeholders = s.scalars(select(Project).where(Project.plan_role == "unnamed")).all()
        unallocated = s.scalars(select(Project).where(Project.plan_role == "unallocated")).all()
        plan_projects = s.scalar(select(PlanFact.value).where(PlanFact.key == "plan_projects"))
    assert named == 33 and plan_projects == 60 and plan_projects - named == 27
    assert placeholders and all("chưa" in p.name.lower() or "unnamed" in (p.note or "").lower() for p in placeholders)
    assert [(u.technology, u.capacity_mw, u.in_plan_60) for u in unallocated] == [("small_hydro", 8.0, False)]


def test_every_record_and_event_is_cited_and_locations_are_honest(loaded):
    with session_scope(loaded) as s:
        for model in (Zone, Project):
            for record in s.scalars(select(model)):
                assert record.source, record.code
                assert record.events and record.stage, record.code
                if record.geometry is None:
                    assert record.location_precision == "none", record.code
                else:
                    assert record.location_precision in ("site", "nearby_site", "commune", "district"), record.code
                    assert record.location_basis and record.location_source and record.location_licence, record.code
        assert s.scalar(select(func.count()).select_from(Event).where(Event.document_id.is_(None))) == 0


def test_bundled_facts_lng_ca_na_history(loaded):
    with session_scope(loaded) as s:
        lng = resolve(s, "project", "lng ca na")
        docs = [(e.effective_on.isoformat(), e.document.number if e.document else None) for e in lng.events]
        assert ("2025-04-14", "215/QĐ-UBND") in docs and ("2025-04-26", "287/QĐ-UBND") in docs
        assert any(e.effective_on.isoformat() == "2025-07-19" for e in lng.events)
        assert (lng.stage, lng.capacity_mw, lng.investor) == ("policy_decision", 1500.0, None)
        hanbaram = resolve(s, "project", "hanbaram")
        assert (hanbaram.stage, hanbaram.capacity_operating_mw, hanbaram.events[-1].date_basis) == ("operating", 93.0, "unknown")


def test_loading_twice_adds_nothing_and_keeps_user_changes(loaded):
    before = _counts(loaded)
    with session_scope(loaded, write=True) as s:
        update_record(s, "zone", "doc da trang", {"leasable_ha": "300"}, effective_on=None)
    report = load_bundled_data(loaded)
    assert report.added == 0
    after = _counts(loaded)
    assert after[0:2] == before[0:2] and after[2] == before[2] + 1
    with session_scope(loaded) as s:
        assert resolve(s, "zone", "Dốc Đá Trắng").leasable_ha == 300.0


def test_accent_insensitive_and_nfd_lookup(loaded):
    import unicodedata

    with session_scope(loaded) as s:
        assert resolve(s, "zone", "doc da trang").name.endswith("Dốc Đá Trắng")
        assert resolve(s, "zone", unicodedata.normalize("NFD", "DỐC ĐÁ TRẮNG")).code == resolve(s, "zone", "doc da trang").code
        with pytest.raises(AmbiguousName, match="Cà Ná"):
            resolve(s, "zone", "ca na")
        with pytest.raises(UnknownRecord, match="did you mean"):
            resolve(s, "zone", "doc da trng")


def test_as_of_before_a_record_existed_hides_it(loaded):
    import datetime as dt

    with session_scope(loaded) as s:
        early = {r["code"] for r in views(s, "project", as_of=dt.date(2025, 4, 14))}
        later = {r["code"] for r in views(s, "project", as_of=dt.date(2025, 4, 15))}
    assert len(early) < len(later)


def test_data_files_are_nfc_with_known_columns():
    import unicodedata

    for path in DATA.rglob("*"):
        if path.suffix in (".csv", ".geojson", ".md"):
            text = path.read_text(encoding="utf-8")
            assert unicodedata.is_normalized("NFC", text), path
    header = next(csv.reader((DATA / "energy_projects" / "events.csv").open(encoding="utf-8")))
    assert header[:4] == ["record_code", "effective_on", "date_basis", "stage"]
    for line in (DATA / "zones" / "zones.geojson").read_text(encoding="utf-8").splitlines()[1:-1]:
        if line.strip().startswith("{"):
            json.loads(line.strip().rstrip(","))
