"""Sessions, CSRF and Origin checks, response headers and request size limits of the web app.

Password hashing, login throttling and the session table are library code
(``kcn_tracker.accounts``) shared with ``kcn user``.
"""
