"""Every view of every analysts' queue runs the same number of queries however long the queue.

For each queue (`lib.queues.QUEUES`: a new queue fails here until it is added) the views an
analyst uses are fetched at three sizes: the first page, a search of one word and of two, a sort
by each sortable column in both directions, a filter, and a later page. Pages are two rows long
here, so that the later pages exist; the rows grow through the services.
"""

from __future__ import annotations

from itertools import count
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portcullis.accounts.models import User
from portcullis.approaches import services as approaches
from portcullis.approaches.tests.builders import make_report
from portcullis.intel.tests.builders import make_alert
from portcullis.intel.tlp import Tlp
from portcullis.lib.queues import QUEUES
from portcullis.phishing.services.reports import file_report, override_verdict
from portcullis.phishing.tests.app_builders import message
from portcullis.screening import services as screening
from portcullis.screening.tests.builders import query
from portcullis.test import BaseTestCase

SIZES = (3, 6, 9)
# Each queue: its page, the searches (one word, two words) its rows answer, and its filters.
VIEWS = {
    "approaches": (
        "approaches:queue",
        ["q=consultancy", "q=paid+consultancy", "status=all&assigned=nobody", "matched=on"],
    ),
    "reported-emails": (
        "phishing:queue",
        ["q=invoice", "q=invoice+overdue", "show=all&verdict=suspicious", "matched=on"],
    ),
    "screenings": (
        "screening:screenings",
        ["q=donor", "q=donor+check", "outcome=clear", "trigger=service"],
    ),
    "alerts": (
        "intel:alerts",
        ["q=consultancy", "q=paid+consultancy", "severity=moderate", "state=in_force"],
    ),
}
# Who reads each queue besides the security team (with their own scope).
READERS = {"screenings": ["party_officer"], "alerts": ["staffer"]}


class EveryQueueViewRunsTheSameQueriesForMoreRows(BaseTestCase):
    serial = count()

    def grow(self, rows: int) -> None:
        for _ in range(rows):
            n = next(self.serial)
            report = make_report(
                self.staffer,
                approacher_name=f"Agent {n}",
                approacher_contact=f"agent{n}@consultancy{n}.example",
                account=f"Offered paid consultancy, case {n}.",
            )
            if n % 2:
                approaches.triage_many(
                    reports=[report], actor=self.security, assigned_to=self.security
                )
            for to in ("staffer@test.example", "member@test.example"):  # two copies each
                email = file_report(
                    raw=message(
                        sender=f"Accounts <accounts{n}@billing{n}.example>",
                        subject=f"Invoice {n} overdue",
                        text=f"Pay invoice {n} today at http://billing{n}.example/pay",
                        to=to,
                    ),
                    actor=self.staffer,
                    source="upload",
                )
            if n % 3 == 0:
                override_verdict(
                    report=email, verdict="malicious", reason="Fake invoice", actor=self.security
                )
            make_alert(self.security, title=f"Paid consultancy offers, wave {n}", tlp=Tlp.GREEN)
            for actor, party in ((self.security, None), (self.party_officer, self.party_a)):
                screening.screen_subject(
                    subject=query(f"Grigori Subject{n}"),
                    actor=actor,
                    purpose="donor check",
                    party=party,
                )

    def urls(self) -> list[tuple[str, str]]:
        self.assertEqual(set(VIEWS), set(QUEUES), "every queue has its views here")
        found = []
        for name, (url_name, extra) in VIEWS.items():
            queue, url = QUEUES[name], reverse(url_name)
            views = ["", "page=2", *extra]
            for column in queue.columns:
                if column.sortable:
                    views += [
                        f"sort={column.key}",
                        f"sort=-{column.key}",
                        f"sort={column.key}&page=2",
                    ]
            roles = ["security", *READERS.get(name, [])]
            found += [(role, f"{url}?{view}") for role in roles for view in views]
        return found

    def counts(self) -> dict[tuple[str, str], int]:
        users: dict[str, User] = {
            "security": self.security,
            "party_officer": self.party_officer,
            "staffer": self.staffer,
        }
        clients: dict[str, Client] = {}
        found = {}
        for role, url in self.urls():
            client = clients.setdefault(role, self.client_for(users[role]))
            client.get(url)  # warm: sessions, content types, the screening index
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            self.assertEqual(response.status_code, 200, url)
            found[(role, url)] = len(queries)
        return found

    @mock.patch("portcullis.lib.queues.PER_PAGE", 2)
    def test_every_view_of_every_queue_runs_the_same_queries_at_each_size(self) -> None:
        by_size = []
        grown = 0
        for size in SIZES:
            self.grow(size - grown)
            grown = size
            by_size.append(self.counts())
        first = by_size[0]
        changed = {
            f"{role} {url}": " → ".join(str(counts[(role, url)]) for counts in by_size)
            for role, url in first
            if len({counts[(role, url)] for counts in by_size}) > 1
        }
        self.assertEqual(changed, {}, "queries grew with the rows")
        self.assertGreater(len(first), 40)

    @mock.patch("portcullis.lib.queues.PER_PAGE", 2)
    def test_the_views_counted_show_rows(self) -> None:
        """The counts above are of pages with rows on them, searches that find, later pages."""
        self.grow(SIZES[0])
        client = self.client_for(self.security)
        for name, (url_name, extra) in VIEWS.items():
            for view in ["page=2", *extra[:2]]:
                with self.subTest(queue=name, view=view):
                    page = client.get(f"{reverse(url_name)}?{view}").context["page"]
                    self.assertTrue(page.object_list, f"{name} ?{view} is empty")
