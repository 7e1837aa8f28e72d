"""The alert list is a queue: search, sort by severity and the other columns, filters for
severity, dates and (for the security team) status, pages past 50, and a CSV export that only
the security team may download. Nobody finds through it an alert they may not read."""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import timezone

from portcullis.intel.models import Alert
from portcullis.intel.tests.builders import make_alert
from portcullis.intel.tlp import Tlp
from portcullis.test import BaseTestCase


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.title for a in response.context["page"]]


class AlertQueueTests(BaseTestCase):
    def setUp(self) -> None:
        self.low = make_alert(self.security, title="Fake journalist", tlp=Tlp.GREEN)
        Alert.objects.filter(pk=self.low.pk).update(severity=Alert.Severity.LOW)
        self.critical = make_alert(self.security, title="Think-tank trips", tlp=Tlp.GREEN)
        Alert.objects.filter(pk=self.critical.pk).update(severity=Alert.Severity.CRITICAL)
        self.red = make_alert(
            self.security,
            title="Named recruiter for the member",
            tlp=Tlp.RED,
            audience="people",
            recipients=[self.member.person],
        )
        self.draft = make_alert(self.security, title="Unfinished draft", publish=False)

    def test_search_finds_words_in_the_title_or_summary(self) -> None:
        client = self.client_for(self.security)
        self.assertEqual(_titles(client.get("/intel/alerts/?q=think-tank")), ["Think-tank trips"])
        found = _titles(client.get("/intel/alerts/?q=paid+consultancy"))
        self.assertEqual(len(found), 4)  # every builder alert's summary says it

    def test_sort_by_severity_puts_critical_first_or_last(self) -> None:
        client = self.client_for(self.security)
        first = _titles(client.get("/intel/alerts/?sort=-severity"))[0]
        last = _titles(client.get("/intel/alerts/?sort=severity"))[0]
        self.assertEqual((first, last), ("Think-tank trips", "Fake journalist"))
        page = client.get("/intel/alerts/?sort=-severity")
        self.assertContains(page, 'aria-sort="descending"')

    def test_a_staffer_can_neither_search_up_a_red_alert_nor_a_draft(self) -> None:
        client = self.client_for(self.staffer)
        for query in ("recruiter", "draft", "status=draft", "status=draft&q=Unfinished"):
            with self.subTest(query=query):
                titles = _titles(client.get(f"/intel/alerts/?q={query}"))
                self.assertNotIn("Named recruiter for the member", titles)
                self.assertNotIn("Unfinished draft", titles)
        titles = _titles(client.get("/intel/alerts/?status=draft"))
        self.assertEqual(sorted(titles), ["Fake journalist", "Think-tank trips"])
        self.assertIn(
            "Named recruiter for the member",
            _titles(self.client_for(self.member).get("/intel/alerts/?q=recruiter")),
        )

    def test_the_dates_filter_tells_expired_from_in_force(self) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Alert.objects.filter(pk=self.low.pk).update(expires_on=yesterday)
        client = self.client_for(self.security)
        self.assertEqual(_titles(client.get("/intel/alerts/?state=expired")), ["Fake journalist"])
        in_force = _titles(client.get("/intel/alerts/?state=in_force"))
        self.assertNotIn("Fake journalist", in_force)
        self.assertNotIn("Unfinished draft", in_force)
        self.assertIn("Think-tank trips", in_force)

    def test_the_export_is_the_security_teams_in_the_pages_order(self) -> None:
        Alert.objects.filter(pk=self.low.pk).update(title='=HYPERLINK("http://x.example")')
        response = self.client_for(self.security).get("/intel/alerts/alerts.csv?sort=-severity")
        rows = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        self.assertEqual(
            rows[0], ["Alert", "TLP", "Severity", "Status", "Published", "Expires", "Read"]
        )
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[1][0], f"{self.critical.reference}: Think-tank trips")
        self.assertIn('=HYPERLINK("http://x.example")', rows[-1][0])
        self.assertFalse(any(cell[:1] in "=+-@" for row in rows[1:] for cell in row if cell))
        for user in (self.staffer, self.member, self.manager, self.party_officer):
            with self.subTest(user=user.email):
                self.assertEqual(
                    self.client_for(user).get("/intel/alerts/alerts.csv").status_code, 403
                )

    def test_the_security_team_sees_how_many_have_read_each(self) -> None:
        page = self.client_for(self.security).get("/intel/alerts/")
        self.assertContains(page, ">Read<")
        self.assertNotContains(self.client_for(self.staffer).get("/intel/alerts/"), ">Read<")
        self.assertContains(self.client_for(self.staffer).get("/intel/alerts/"), "Not yet read")

    def test_more_than_a_page_of_alerts_pages(self) -> None:
        for n in range(50):
            Alert.objects.create(
                reference=f"BULK-{n}", title=f"Bulk {n}", summary="s", guidance="g"
            )
        client = self.client_for(self.security)
        first = client.get("/intel/alerts/")
        self.assertContains(first, "54 alerts")
        self.assertEqual(len(_titles(first)), 50)
        self.assertEqual(len(_titles(client.get("/intel/alerts/?page=2"))), 4)
