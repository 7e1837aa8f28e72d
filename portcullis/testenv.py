"""A pytest plugin loaded before Django (see `addopts` in pyproject.toml): test environment."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Browser tests run Playwright's sync API beside Django's live server in one process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
