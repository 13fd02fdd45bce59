"""``workflow.documents_indexed``: one read of the documents table per import, same answers as without it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, func, select

from kcn_tracker.db import session_scope
from kcn_tracker.models import Document
from kcn_tracker.workflow import DocumentRef, documents_indexed, find_or_add_document

D = dt.date
REFS = [DocumentRef("215/QĐ-UBND", D(2025, 4, 14)), DocumentRef("215/qđ-ubnd", None), DocumentRef("216/QĐ-UBND", D(2025, 5, 1)),
        DocumentRef("215/QĐ-UBND", D(2025, 4, 15)), DocumentRef("216/QĐ-UBND", None), DocumentRef("215/QĐ-UBND", D(2025, 4, 15))]


def _answers(session, indexed: bool) -> list[tuple[str, str | None]]:
    session.add(Document(doc_id="seed-1", number="215/QĐ-UBND", issued_on=D(2025, 4, 14)))
    session.flush()
    out = []
    if indexed:
        with documents_indexed(session):
            docs = [find_or_add_document(session, ref) for ref in REFS]
    else:
        docs = [find_or_add_document(session, ref) for ref in REFS]
    session.flush()
    for doc in docs:
        out.append((doc.doc_id, doc.issued_on and doc.issued_on.isoformat()))
    assert session.scalar(select(func.count()).select_from(Document)) == 3
    return out


def test_indexed_and_plain_lookups_agree(engine):
    with session_scope(engine, write=True) as session:
        plain = _answers(session, indexed=False)
        session.rollback()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with session_scope(engine, write=True) as session:
        indexed = _answers(session, indexed=True)
        session.rollback()
    assert indexed == plain
    assert plain[0] == plain[1] == ("seed-1", "2025-04-14") and plain[3] == plain[5] != plain[0]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM documents" in s]
    assert len(reads) == 2  # the index, and the final count: not one read per reference
