"""The ASGI app uvicorn imports in each worker (``kcn serve``): database from KCN_WEB_DATABASE_URL."""

from __future__ import annotations

import os

from kcn_tracker.settings import database_url
from kcn_tracker.web.app import create_app

app = create_app(os.environ.get("KCN_WEB_DATABASE_URL") or database_url(), migrate=False)
