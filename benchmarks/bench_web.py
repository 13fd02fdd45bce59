"""Benchmark of the web application (``kcn serve``) over loopback HTTP.

1. Page latency (median and p95 of N requests) of the dashboard, the project list and
   a record page, on the bundled register and on a synthetic register of 10,000
   projects + 1,000 zones (generated here, in a throw-away database, never shipped).
2. A bounded load: 20 readers + 5 editors for S seconds against the 10k register;
   reports requests served, errors (5xx or transport), stale refusals (409, expected
   when two editors save one record) and updates lost (a save answered 303 whose
   event is not in the database afterwards).

Both on SQLite (1 worker) and on PostgreSQL (``--pg URL``, 2 workers). Goals of the
issue: p95 < 200 ms on the bundled data, < 500 ms at 10k; 0 errors, 0 lost updates.

    python benchmarks/bench_web.py [--runs 30] [--seconds 60] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TODAY = "2026-06-30"
PASSWORD = "mat-khau-benchmark"
os.environ["KCN_TODAY"] = TODAY


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, *, synthetic: bool) -> None:
    """Migrate, load the bundled register, add the synthetic records and the benchmark accounts."""
    from kcn_tracker.accounts import create_user
    from kcn_tracker.bundled import load_bundled_data
    from kcn_tracker.db import ensure_schema, make_engine, session_scope

    engine = make_engine(url)
    ensure_schema(engine)
    load_bundled_data(engine, only_if_empty=True)
    if synthetic:
        add_synthetic(engine, projects=10_000, zones=1_000)
    with session_scope(engine, write=True) as session:
        for i in range(5):
            create_user(session, f"editor{i}", PASSWORD, "editor")
        for i in range(20):
            create_user(session, f"reader{i}", PASSWORD, "viewer")
    engine.dispose()


def add_synthetic(engine, *, projects: int, zones: int) -> None:
    """Bulk-insert generated zones and projects, each with one creation event (Core, not the ORM)."""
    from sqlalchemy import func, insert, select, text

    from kcn_tracker.models import Event, Project, Technology, Zone

    rng = random.Random(8)
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        techs = [t for t in conn.execute(select(Technology.key)).scalars() if t != "transmission"]
        for model, count, kind in ((Zone, zones, "zone"), (Project, projects, "project")):
            start = (conn.execute(select(func.max(model.id))).scalar() or 0) + 1
            rows, events = [], []
            for i in range(count):
                name = f"{'KCN' if kind == 'zone' else 'Dự án'} tổng hợp số {i}"
                state = {"code": f"syn-{kind}-{i}", "name": name, "stage": rng.choice(["in_plan", "policy_decision", "construction"]),
                         "commune": f"xã Thử {i % 40}", "location_precision": "none"}
                if kind == "zone":
                    state.update(kind=rng.choice(["KCN", "CCN"]), total_area_ha=float(rng.randint(20, 900)))
                else:
                    state.update(technology=rng.choice(techs), capacity_mw=float(rng.randint(5, 500)), plan_role="outside",
                                 investor="Công ty Thử nghiệm" if state["stage"] == "construction" else None)
                rows.append({"id": start + i, "name_key": f"{'kcn' if kind == 'zone' else 'du an'} tong hop so {i}", "version": 1,
                             **{k: v for k, v in state.items()}})
                events.append({f"{kind}_id": start + i, "effective_on": dt.date(2025, 1, 1) + dt.timedelta(days=i % 500),
                               "date_basis": "document", "changes": state, "recorded_by": "benchmark",
                               "recorded_at": now, "origin": "benchmark"})
            conn.execute(insert(model), rows)
            conn.execute(insert(Event), events)
            if conn.dialect.name == "postgresql":
                table = model.__tablename__
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


class Server:
    """``kcn serve`` in a subprocess on a free loopback port."""

    def __init__(self, url: str, files: Path, workers: int) -> None:
        self.port = _port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(REPO), "KCN_FILES_DIR": str(files), "KCN_TODAY": TODAY}
        self.proc = subprocess.Popen([sys.executable, "-m", "kcn_tracker", "--db", url, "serve", "--port", str(self.port),
                                      "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if httpx.get(f"{self.base}/dang-nhap", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def login(base: str, user: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60, headers={"origin": base})
    page = client.get("/dang-nhap")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/dang-nhap", data={"csrf": csrf, "username": user, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def latency(base: str, runs: int) -> dict[str, tuple[float, float]]:
    client = login(base, "reader0")
    record = re.search(r'href="(/projects/[^"?]+)"', client.get("/projects").text).group(1)
    out = {}
    for label, path in (("dashboard /", "/"), ("list /projects", "/projects"), (f"record {record}", record)):
        client.get(path)  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        times.sort()
        out[label] = (statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))])
    client.close()
    return out


def recompute(url: str, runs: int = 5) -> dict[str, float]:
    """Median ms of what a page recomputes after a change (the cache is then invalid): in-process."""
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.registry import views

    engine = make_engine(url)
    day = dt.date.fromisoformat(TODAY)
    out: dict[str, list[float]] = {"progress (dashboard)": [], "views project (list)": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        with engine.connect() as conn:
            compute_progress(load_records(conn), day)
        out["progress (dashboard)"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        with session_scope(engine) as session:
            views(session, "project", as_of=day)
        out["views project (list)"].append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    return {k: statistics.median(v) for k, v in out.items()}


def load(base: str, url: str, seconds: float, codes: list[str]) -> dict[str, int]:
    """20 readers + 5 editors for ``seconds``; returns served / errors / stale / saved / lost."""
    from sqlalchemy import func, select

    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.models import Event

    clients = {f"reader{i}": login(base, f"reader{i}") for i in range(20)}  # logins (argon2) before the clock starts
    clients.update({f"editor{i}": login(base, f"editor{i}") for i in range(5)})
    stop = time.monotonic() + seconds
    counts = {"served": 0, "errors": 0, "stale_409": 0, "saved": 0}
    lock = threading.Lock()
    saved_by: dict[str, int] = {}
    read_ms: list[float] = []

    def bump(key: str, n: int = 1) -> None:
        with lock:
            counts[key] += n

    def reader(i: int) -> None:
        client = clients[f"reader{i}"]
        rng = random.Random(i)
        while time.monotonic() < stop:
            path = rng.choice(["/", "/projects", "/zones", f"/projects/{rng.choice(codes)}", "/projects?q=tong+hop+so+1"])
            try:
                t0 = time.perf_counter()
                r = client.get(path)
                with lock:
                    read_ms.append((time.perf_counter() - t0) * 1000)
                bump("served")
                if r.status_code >= 500:
                    bump("errors")
            except httpx.HTTPError:
                bump("errors")
        client.close()

    def editor(i: int) -> None:
        user = f"editor{i}"
        client = clients[user]
        rng = random.Random(100 + i)
        mine = 0
        while time.monotonic() < stop:
            code = rng.choice(codes[:10])  # few records: editors meet each other
            try:
                form = client.get(f"/sua/projects/{code}").text
                bump("served")
                hidden = dict(re.findall(r'name="(csrf|version|orig_[a-z_]+)" value="([^"]*)"', form))
                data = {**hidden, "stage": hidden.get("orig_stage", ""), "investor": f"Công ty {user} {mine}",
                        "doc_number": f"{mine}/BENCH-{i}", "effective_on": TODAY}
                r = client.post(f"/sua/projects/{code}", data=data)
                bump("served")
                if r.status_code == 303:
                    mine += 1
                elif r.status_code == 409:
                    bump("stale_409")
                else:
                    bump("errors")
            except httpx.HTTPError:
                bump("errors")
        with lock:
            saved_by[user] = mine
        client.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(20)]
    threads += [threading.Thread(target=editor, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine = make_engine(url)
    with session_scope(engine) as session:
        stored = dict(session.execute(select(Event.recorded_by, func.count(Event.id)).where(Event.origin == "web")
                                      .group_by(Event.recorded_by)).all())
    engine.dispose()
    counts["saved"] = sum(saved_by.values())
    read_ms.sort()
    if read_ms:
        counts["reader_median_ms"] = round(statistics.median(read_ms))
        counts["reader_p95_ms"] = round(read_ms[int(0.95 * (len(read_ms) - 1))])
    counts["lost"] = sum(max(0, n - stored.get(user, 0)) for user, n in saved_by.items())
    return counts


def run(backend: str, url_for, runs: int, seconds: float, workers: int) -> None:
    for label, synthetic in (("bundled", False), ("10k projects + 1k zones", True)):
        url, cleanup = url_for()
        folder = Path(tempfile.mkdtemp(prefix="kcn-bench-web-"))
        t0 = time.perf_counter()
        prepare(url, synthetic=synthetic)
        print(f"\n[{backend}, {label}] prepared in {time.perf_counter() - t0:.1f} s; server workers: {workers}")
        server = Server(url, folder, workers)
        try:
            for page, (median, p95) in latency(server.base, runs).items():
                print(f"  {page:45} median {median:7.1f} ms   p95 {p95:7.1f} ms   (n={runs})")
            for name, ms in recompute(url).items():
                print(f"  uncached recompute after a change: {name:25} median {ms:7.1f} ms")
            if synthetic and seconds > 0:
                codes = [f"syn-project-{i}" for i in range(0, 10_000, 97)]
                result = load(server.base, url, seconds, codes)
                print(f"  load 20 readers + 5 editors, {seconds:.0f} s: " + ", ".join(f"{k} {v}" for k, v in result.items()))
        finally:
            server.stop()
            cleanup()
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pg", help="PostgreSQL URL (a throw-away schema is created in it)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    def sqlite_url():
        folder = Path(tempfile.mkdtemp(prefix="kcn-bench-db-"))
        return f"sqlite:///{folder / 'kcn.sqlite'}", lambda: shutil.rmtree(folder, ignore_errors=True)

    def pg_url():
        from sqlalchemy import text

        from kcn_tracker.db import make_engine

        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = make_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))

        def drop() -> None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()

        sep = "&" if "?" in args.pg else "?"
        return f"{args.pg}{sep}options=-csearch_path%3D{schema},public", drop

    if args.only != "postgresql":
        run("SQLite", sqlite_url, args.runs, args.seconds, 1)
    if args.pg and args.only != "sqlite":
        run("PostgreSQL", pg_url, args.runs, args.seconds, 2)


if __name__ == "__main__":
    main()
