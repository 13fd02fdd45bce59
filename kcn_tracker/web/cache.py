"""A small in-process cache of whole-register computations (list views, progress), keyed by day.

The register is append-only: every change adds an event or an obstacle, and resolving
an obstacle fills its ``resolved_on``. So (max and count of event ids, max obstacle id,
number of resolved obstacles) changes whenever anything a page shows can change; one
cheap query per request checks it. Each server worker has its own cache.

Freshness: a result computed for an older token is still served for at most
``MAX_AGE_SECONDS`` after it was computed, except to a person who saved something
(in this worker) since then: they always see their own change. Record pages and every
save (which checks the record's version) never use the cache. Without that grace, five
people saving every few seconds on a 10,000-record register kept the server busy
recomputing whole-register lists for every reader (benchmarks/bench_web.py).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import text

_TOKEN_SQL = text("SELECT (SELECT max(id) FROM events), (SELECT count(id) FROM events), "
                  "(SELECT max(id) FROM obstacles), (SELECT count(resolved_on) FROM obstacles)")


def register_token(connection: Any) -> tuple[Any, ...]:
    """What changes whenever the register's content changes."""
    return tuple(connection.execute(_TOKEN_SQL).one())


MAX_AGE_SECONDS = 5.0


class RegisterCache:
    """Least-recently-used results, each valid for one register token."""

    def __init__(self, size: int = 48, *, max_age: float = MAX_AGE_SECONDS) -> None:
        self.size = size
        self.max_age = max_age
        self._data: OrderedDict[Hashable, tuple[tuple[Any, ...], Any, float]] = OrderedDict()
        self._writes: dict[str, float] = {}
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def wrote(self, username: str) -> None:
        """``username`` is saving something now: their next pages must include it."""
        with self._lock:
            self._writes[username] = time.monotonic()

    def _lookup(self, key: Hashable, token: tuple[Any, ...], reader: str | None = None) -> tuple[bool, Any]:
        found = self._data.get(key)
        if found is None:
            return False, None
        now, computed_at = time.monotonic(), found[2]
        recent = now - computed_at <= self.max_age and self._writes.get(reader or "", 0.0) < computed_at
        if found[0] == token or recent:
            self._data.move_to_end(key)
            self.hits += 1
            return True, found[1]
        return False, None

    def get(self, key: Hashable, token: tuple[Any, ...], compute: Callable[[], Any], *, reader: str | None = None) -> Any:
        """The cached value for ``key`` if computed at ``token``, else ``compute()`` (then kept).

        Single flight: while one request computes a key, others asking for it wait and reuse
        the result instead of all recomputing the whole register at once.
        """
        with self._lock:
            hit, value = self._lookup(key, token, reader)
            if hit:
                return value
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit, value = self._lookup(key, token, reader)
                if hit:
                    return value
            started = time.monotonic()
            value = compute()
            with self._lock:
                self.misses += 1
                self._data[key] = (token, value, started)
                self._data.move_to_end(key)
                while len(self._data) > self.size:
                    old, _ = self._data.popitem(last=False)
                    self._computing.pop(old, None)
        return value
