"""The web application for the board's staff (``kcn serve``): FastAPI + Jinja2 over the library."""
