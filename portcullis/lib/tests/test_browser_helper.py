"""The browser helper leaves no database connection behind."""

from __future__ import annotations

import pytest
from django.db import connections

from portcullis.accounts.models import User
from portcullis.lib.testing.browser import chromium


def _other_sessions() -> int:
    """Sessions on this PostgreSQL database besides the test's own connection."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_query_made_while_the_browser_runs_leaves_no_open_connection() -> None:
    main = connections["default"]
    with chromium():
        User.objects.count()  # what a browser test does to check what a page saved
        during = connections["default"]
    assert during is not main  # Playwright's loop gave the query a connection of its own
    if main.vendor == "postgresql":
        assert _other_sessions() == 0  # else the test database cannot be dropped at the end
    elif not main.is_in_memory_db():  # Django never closes an in-memory SQLite database
        assert during.connection is None
