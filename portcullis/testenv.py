"""A pytest plugin loaded before Django (see `addopts` in pyproject.toml): test environment."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Browser tests run Playwright's sync API beside Django's live server in one process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Live-server threads must not keep PostgreSQL connections open past a test (the test database
# could not be dropped).
os.environ.setdefault("PORTCULLIS_DB_CONN_MAX_AGE", "0")
