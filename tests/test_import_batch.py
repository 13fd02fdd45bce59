"""A whole file imported in one batch (``importers.batch``) leaves exactly what row-by-row updates left before it.

On a small generated register (projects and zones with histories, one with a later event
that a back-dated row cannot override), a two-sheet workbook changes records through
many rows: several rows for one record, each row citing its own document, rows sharing a
document, rows citing a registered document or none (the file is cited), notes, date
bases, a stage move, a new obstacle. Imported in one batch, then, in a fresh transaction,
row by row as the importer did before the batch (``workflow.update_record`` per planned
row, as ``kcn energy update`` still does): the events, documents, obstacles, every
record's current-state columns and version, and the preview must be identical; the
columns must equal the fold of the events; a dry run must write nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from factories import D, add_project, add_technologies, add_zone, change
from kcn_tracker.db import session_scope
from kcn_tracker.models import Document, Project, Zone
from kcn_tracker.state import current_columns, folded_states, run

TODAY = D(2026, 6, 30)
BY = "tester"
PROJECT_COLUMNS = ["Mã", "Công suất (MW)", "Nhà đầu tư", "Giai đoạn", "Dự kiến vận hành (COD)", "Ngày hiệu lực", "Căn cứ ngày",
                   "Văn bản căn cứ (số hiệu)", "Ngày văn bản", "Ghi chú cập nhật", "Vướng mắc mới: loại", "Vướng mắc mới: mô tả"]
ZONE_COLUMNS = ["Mã", "Đã cho thuê (ha)", "Dự án thứ cấp đăng ký", "Ngày hiệu lực", "Văn bản căn cứ (số hiệu)", "Ngày văn bản"]


def _register(session: Any) -> None:
    """Ten projects (half with a point) and five zones, each with 1–3 later events; one seeded document."""
    rng = random.Random(7)
    add_technologies(session)
    start = D(2024, 1, 1)
    for i in range(10):
        extra = {"geometry": f"POINT ({108.9013 + i / 50!r} {12.2017 + i / 70!r})", "location_precision": "commune"} if i % 2 else {}
        project = add_project(session, f"p{i}", on=start, capacity_mw=50.0 + i, **extra)
        for _ in range(rng.randint(1, 3)):
            change(session, project, start + dt.timedelta(days=rng.randint(30, 500)),
                   investor=f"Nhà đầu tư {rng.randint(1, 9)}", capacity_mw=float(rng.randint(40, 90)))
    for code in ("p0", "p1"):  # without and with a location
        change(session, session.scalars(select(Project).where(Project.code == code)).one(), D(2025, 9, 1), capacity_mw=77.0)
    for i in range(5):
        zone = add_zone(session, f"z{i}", on=start, total_area_ha=200.0, leasable_ha=150.0)
        for _ in range(rng.randint(1, 3)):
            change(session, zone, start + dt.timedelta(days=rng.randint(30, 500)), leased_ha=float(rng.randint(5, 60)))
    session.add(Document(doc_id="seed-1", number="1/QĐ-SEED", issued_on=D(2023, 5, 1)))
    session.flush()


def _workbook(path: Path) -> Path:
    """Rows changing the register: dated after the last events, and some back-dated (late)."""
    rng = random.Random(11)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dự án điện"
    sheet.append(PROJECT_COLUMNS)
    day = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
    rows = [
        # p0: late (before its 01/09/2025 capacity event: the current state keeps 77 MW), then a later row.
        ["p0", "83,5", None, None, None, "01/06/2025", None, "100/QĐ-UBND", "30/05/2025", "Báo cáo quý", None, None],
        ["p0", None, "Công ty Mới", None, None, "01/03/2026", "inferred", "101/QĐ-UBND", "28/02/2026", None, None, None],
        ["p1", "70,5", None, None, None, "01/07/2025", None, "102/QĐ-UBND", "30/06/2025", None, None, None],  # late too
        ["p1", None, None, "Tiền khả thi / đề xuất chủ trương đang thẩm định", None, "02/03/2026", None, "1/QĐ-SEED", None, None,
         None, None],  # the registered document, cited without its date
        ["p2", "66,5", None, None, "31/12/2028", "03/03/2026", None, "100/QĐ-UBND", "30/05/2025", None, None, None],  # shared
        ["p3", None, "Công ty Mới 2", None, None, "04/03/2026", None, None, None, None,
         "Đất đai, giải phóng mặt bằng", "Chưa giao đất"],  # no document: the file is cited; a new obstacle
    ]
    for i in range(4, 10):
        for k in range(1 + i % 2):  # odd projects get two dated rows
            on = D(2026, 1 + k * 2, 5 + i)
            rows.append([f"p{i}", f"{rng.randint(40, 95)},{rng.randint(0, 9)}", f"Nhà đầu tư {rng.randint(10, 99)}", None,
                         None, day(on), None, f"{i * 10 + k}/BC-KKT", day(on - dt.timedelta(days=2)), None, None, None])
    for row in rows:
        sheet.append(row)
    zones = book.create_sheet("KCN-CCN")
    zones.append(ZONE_COLUMNS)
    for i in range(5):
        zones.append([f"z{i}", f"{70 + i}", str(3 + i), day(D(2026, 2, 10 + i)), f"{i}/TB-KCN", day(D(2026, 2, 9 + i))])
    zones.append(["z0", "95", None, "01/04/2026", "1/TB-KCN", "11/02/2026"])  # same number, another date: a new document
    book.save(path)
    return path


def _snapshot(session: Any) -> dict[str, Any]:
    """What an import writes, without ids (PostgreSQL sequences do not roll back) nor recording instants."""
    session.flush()
    docs = {doc_id: (doc_id, number, str(issued_on)[:10] if issued_on else None, title, issuer)
            for _id, doc_id, number, issued_on, title, issuer in
            run(session, "SELECT id, doc_id, number, issued_on, title, issuer FROM documents ORDER BY id")}
    events = [(zone, project, str(on)[:10], basis, json.loads(ch) if isinstance(ch, str) else ch, docs.get(doc_id), note, by, origin)
              for zone, project, on, basis, ch, doc_id, note, by, origin in run(
                  session, "SELECT e.zone_id, e.project_id, e.effective_on, e.date_basis, e.changes, d.doc_id, e.note, "
                           "e.recorded_by, e.origin FROM events e LEFT JOIN documents d ON d.id = e.document_id ORDER BY e.id")]
    obstacles = [tuple(str(v) for v in row) for row in run(
        session, "SELECT o.project_id, o.zone_id, o.category, o.description, o.opened_on, d.doc_id, o.recorded_by, o.origin "
                 "FROM obstacles o LEFT JOIN documents d ON d.id = o.opened_document_id ORDER BY o.id")]
    records = {}
    for record_type, table in (("project", "projects"), ("zone", "zones")):
        columns = current_columns(session, record_type)
        assert columns == {rid: {**state, "code": columns[rid]["code"]}
                           for rid, state in folded_states(session, record_type, D(2100, 1, 1)).items()}  # state == replay
        for rid, version, name_key in run(session, f"SELECT id, version, name_key FROM {table}"):
            records[(record_type, rid)] = (columns[rid], version, name_key)
    return {"documents": list(docs.values()), "events": events, "obstacles": obstacles, "records": records}


def _row_by_row(session: Any, path: Path) -> list[tuple[Any, ...]]:
    """The importer before the batch: its plan pass, then ``update_record`` and ``open_obstacle`` per row."""
    from kcn_tracker.importers.reading import read_table
    from kcn_tracker.importers.tabular import plan_rows, select_sheets
    from kcn_tracker.workflow import DocumentRef, documents_indexed, open_obstacle, update_record

    sheets = select_sheets(read_table(path), sheet_name=None, kind=None, file=path.name)
    plans, problems, _ignored, _unchanged = plan_rows(session, sheets, file=path.name, default_day=TODAY, today=TODAY)
    assert not problems
    file_doc = DocumentRef(number=path.name, title=f"Tệp nhập dữ liệu / imported file {path.name}")
    out = []
    with documents_indexed(session):
        for plan in plans:
            meta = plan.meta
            doc = DocumentRef(meta["document"], meta.get("document_date")) if meta.get("document") else file_doc
            preview = update_record(session, plan.record_type, plan.code, plan.values, effective_on=meta.get("effective_on"),
                                    date_basis=meta.get("date_basis") or "document", document=doc, note=meta.get("update_note"),
                                    by=BY, origin=f"import:{path.name}", today=TODAY)
            if meta.get("obstacle_category"):
                open_obstacle(session, plan.record_type, plan.code, category=meta["obstacle_category"],
                              description=meta["obstacle_description"], opened_on=meta.get("effective_on"), document=doc,
                              note=meta.get("update_note"), by=BY, today=TODAY)
            out.append((plan.sheet, plan.row, preview.event_changes, preview.changes, preview.effective_on, preview.late))
    return out


def test_one_batch_equals_row_by_row_updates(engine, tmp_path):
    from kcn_tracker.importers.tabular import import_updates

    with session_scope(engine, write=True) as session:
        _register(session)
    path = _workbook(tmp_path / "cap-nhat.xlsx")
    with session_scope(engine, write=True) as session:
        before = _snapshot(session)
        dry = import_updates(session, path, by=BY, dry_run=True, today=TODAY)
        assert _snapshot(session) == before  # a dry run writes nothing, not even in its transaction
        report = import_updates(session, path, by=BY, today=TODAY)
        batch = _snapshot(session)
        session.rollback()
    with session_scope(engine, write=True) as session:
        assert _snapshot(session) == before
        expected = _row_by_row(session, path)
        one_by_one = _snapshot(session)
        session.rollback()
    results = [(r.sheet, r.row, r.changes, r.current_changes, r.effective_on, r.late) for r in report.results]
    assert results == [(r.sheet, r.row, r.changes, r.current_changes, r.effective_on, r.late) for r in dry.results]
    assert results == [r for r in expected if r[2] or r[3]]
    assert batch == one_by_one
    # The file really exercised what it is about.
    new_events = batch["events"][len(before["events"]):]
    assert len(new_events) == len(results) == 21
    assert len(batch["documents"]) - len(before["documents"]) == 19  # 21 rows, two sharing a document, one citing a registered one
    late = [r.code for r in report.results if r.late and not r.current_changes]  # back-dated: the columns keep a later value
    assert late == ["p0", "p1"]
    assert len(batch["obstacles"]) == 1
    versions = {key: value[1] for key, value in batch["records"].items()}
    assert versions != {key: value[1] for key, value in before["records"].items()}


def test_timelines_of_some_records_equal_those_of_all(engine):
    from kcn_tracker.history import replay
    from kcn_tracker.timelines import load_timelines

    with session_scope(engine, write=True) as session:
        _register(session)
    with session_scope(engine, write=True) as session:
        every = load_timelines(session, "project")
        some = load_timelines(session, "project", ids=[3, 1, 3], lock=True)  # locked on PostgreSQL
        assert sorted(some) == [1, 3] and all(some[i] == every[i] for i in some)
        assert load_timelines(session, "zone", ids=[]) == {}
        for record in session.scalars(select(Project)):
            timeline = every[record.id]
            assert (timeline.code, timeline.name) == (record.code, record.name)
            assert [(e.id, e.effective_on, e.changes) for e in timeline.events] == \
                [(e.id, e.effective_on, e.changes) for e in record.events]  # fold order, as the ORM relationship
            assert replay(timeline.events) == replay(record.events)
