"""A small in-process cache of whole-register computations (list views, progress), keyed by day.

The register is append-only: every change adds an event or an obstacle, and resolving
an obstacle fills its ``resolved_on``. So (max and count of event ids, max obstacle id,
number of resolved obstacles) changes whenever anything a page shows can change; one
cheap query per request checks it, and a stale entry is never served. Each server
worker has its own cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import text

_TOKEN_SQL = text("SELECT (SELECT max(id) FROM events), (SELECT count(id) FROM events), "
                  "(SELECT max(id) FROM obstacles), (SELECT count(resolved_on) FROM obstacles)")


def register_token(connection: Any) -> tuple[Any, ...]:
    """What changes whenever the register's content changes."""
    return tuple(connection.execute(_TOKEN_SQL).one())


class RegisterCache:
    """Least-recently-used results, each valid for one register token."""

    def __init__(self, size: int = 48) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def _lookup(self, key: Hashable, token: tuple[Any, ...]) -> tuple[bool, Any]:
        found = self._data.get(key)
        if found is not None and found[0] == token:
            self._data.move_to_end(key)
            self.hits += 1
            return True, found[1]
        return False, None

    def get(self, key: Hashable, token: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """The cached value for ``key`` if computed at ``token``, else ``compute()`` (then kept).

        Single flight: while one request computes a key, others asking for it wait and reuse
        the result instead of all recomputing the whole register at once.
        """
        with self._lock:
            hit, value = self._lookup(key, token)
            if hit:
                return value
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit, value = self._lookup(key, token)
                if hit:
                    return value
            value = compute()
            with self._lock:
                self.misses += 1
                self._data[key] = (token, value)
                self._data.move_to_end(key)
                while len(self._data) > self.size:
                    old, _ = self._data.popitem(last=False)
                    self._computing.pop(old, None)
        return value
