"""The triage queue as analysts work it: search, sort, bulk assign and close, saved filters and
the CSV export; each written so that a wrong result fails, and the attacks as attacks."""

from __future__ import annotations

import csv
import io

from portcullis.accounts.models import Role, SavedFilter
from portcullis.approaches.models import Report
from portcullis.approaches.tests.builders import make_report
from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase, make_user

QUEUE = "/approaches/triage/"


class QueueToolsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.qiu = make_report(
            cls.staffer,
            approacher_name="Amanda Qiu",
            approacher_organisation="BR-YR Executive Search",
            account="She offered a paid white paper on committee scheduling.",
        )
        cls.quill = make_report(
            cls.outsider,
            approacher_name="Bertram Quill",
            approacher_organisation="Aldgate Insights",
            account="Asked me to move to Signal.",
        )
        cls.formula = make_report(
            cls.staffer, approacher_name='=HYPERLINK("http://evil.example","x")'
        )
        cls.other_officer = make_user(
            "second-officer@test.example",
            Role.SECURITY_OFFICER,
            organisation=cls.security_team,
        )

    def references(self, url: str) -> set[str]:
        page = self.client_for(self.security).get(url)
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        return {r.reference for r in (self.qiu, self.quill, self.formula) if r.reference in text}

    def test_search_finds_words_of_the_name_organisation_and_account(self) -> None:
        self.assertEqual(self.references(f"{QUEUE}?q=qiu"), {self.qiu.reference})
        self.assertEqual(self.references(f"{QUEUE}?q=aldgate"), {self.quill.reference})
        self.assertEqual(self.references(f"{QUEUE}?q=signal"), {self.quill.reference})
        # Every word must be found, not any one of them.
        self.assertEqual(self.references(f"{QUEUE}?q=white+paper"), {self.qiu.reference})
        self.assertEqual(self.references(f"{QUEUE}?q=white+signal"), set())

    def test_search_ignores_case_and_reads_accents(self) -> None:
        zoe = make_report(self.staffer, approacher_name="Zoë Château-Renard")
        page = self.client_for(self.security).get(f"{QUEUE}?q=Château-renard").content.decode()
        self.assertIn(zoe.reference, page)
        self.assertEqual(self.references(f"{QUEUE}?q=QIU"), {self.qiu.reference})

    def test_a_count_past_the_cap_says_more_than_and_pages_stop_there(self) -> None:
        from portcullis.lib.queues import CappedPaginator

        paginator = CappedPaginator(Report.objects.all(), per_page=1, cap=2)
        self.assertEqual((paginator.count, paginator.capped, paginator.num_pages), (2, True, 2))
        exact = CappedPaginator(Report.objects.all(), per_page=1, cap=3)
        self.assertEqual((exact.count, exact.capped), (3, False))

    def test_a_reference_finds_its_report(self) -> None:
        self.assertEqual(
            self.references(f"{QUEUE}?q={self.quill.reference.lower()}"), {self.quill.reference}
        )

    def test_hostile_search_and_sort_parameters_are_answered_not_crashed_on(self) -> None:
        client = self.client_for(self.security)
        for query in ("q=%00%00", "q=" + "x" * 10_000, "sort=password", "sort=-", "q=%ED%A0%80"):
            with self.subTest(query=query[:20]):
                self.assertEqual(client.get(f"{QUEUE}?{query}").status_code, 200)

    def test_columns_sort_both_ways_and_say_so(self) -> None:
        client = self.client_for(self.security)
        up = client.get(f"{QUEUE}?sort=name").content.decode()
        self.assertLess(up.index(self.formula.reference), up.index(self.qiu.reference))
        self.assertLess(up.index(self.qiu.reference), up.index(self.quill.reference))
        self.assertIn('aria-sort="ascending"', up)
        down = client.get(f"{QUEUE}?sort=-name").content.decode()
        self.assertLess(down.index(self.quill.reference), down.index(self.qiu.reference))
        self.assertIn('aria-sort="descending"', down)

    def test_bulk_assign_then_close_with_a_ledger_entry_per_report(self) -> None:
        client = self.client_for(self.security)
        picked = [str(self.qiu.public_id), str(self.quill.public_id)]
        client.post(
            f"{QUEUE}bulk/",
            {"selected": picked, "action": "assign", "assigned_to": self.other_officer.pk},
        )
        assigned = Report.objects.filter(assigned_to=self.other_officer)
        self.assertEqual(set(assigned.values_list("pk", flat=True)), {self.qiu.pk, self.quill.pk})
        client.post(f"{QUEUE}bulk/", {"selected": picked, "action": "close", "outcome": "benign"})
        closed = Report.objects.filter(status=Report.Status.CLOSED, outcome="benign")
        self.assertEqual(closed.count(), 2)
        self.assertEqual(Report.objects.get(pk=self.formula.pk).status, Report.Status.NEW)
        entries = LedgerEntry.objects.filter(action="approach_report.triage")
        self.assertEqual(entries.count(), 4)
        self.assertEqual({e.target_id for e in entries}, {str(self.qiu.pk), str(self.quill.pk)})

    def test_a_bulk_action_returns_to_the_queue_with_its_filters_and_nothing_else(self) -> None:
        answer = self.client_for(self.security).post(
            f"{QUEUE}bulk/",
            {
                "selected": [str(self.qiu.public_id)],
                "action": "unassign",
                "back": "q=qiu&status=all&next=https://evil.example/",
            },
        )
        self.assertEqual(answer["Location"], f"{QUEUE}?status=all&q=qiu")

    def test_bulk_close_without_an_outcome_changes_nothing_and_says_why(self) -> None:
        client = self.client_for(self.security)
        answer = client.post(
            f"{QUEUE}bulk/", {"selected": [str(self.qiu.public_id)], "action": "close"}, follow=True
        )
        self.assertContains(answer, "Choose an outcome to close the reports")
        self.assertEqual(Report.objects.filter(status=Report.Status.CLOSED).count(), 0)

    def test_attack_a_staffer_cannot_bulk_close_reports(self) -> None:
        client = self.client_for(self.staffer)
        answer = client.post(
            f"{QUEUE}bulk/",
            {"selected": [str(self.qiu.public_id)], "action": "close", "outcome": "benign"},
        )
        self.assertEqual(answer.status_code, 403)
        self.assertEqual(client.get(f"{QUEUE}export.csv").status_code, 403)
        self.assertEqual(Report.objects.filter(status=Report.Status.CLOSED).count(), 0)

    def test_the_export_follows_the_filters_and_is_safe_in_a_spreadsheet(self) -> None:
        client = self.client_for(self.security)
        answer = client.get(f"{QUEUE}export.csv?q=hyperlink")
        self.assertEqual(answer["Content-Type"], "text/csv; charset=utf-8")
        text = b"".join(answer.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0][:3], ["Reference", "Received", "Age (days)"])
        self.assertEqual([r[0] for r in rows[1:]], [self.formula.reference])
        name = rows[1][rows[0].index("Name and organisation given")]
        self.assertTrue(name.startswith("'="), name)

    def test_a_saved_filter_keeps_only_the_queue_filters_and_comes_back(self) -> None:
        client = self.client_for(self.security)
        client.post(
            "/saved-filters/",
            {
                "queue": "approaches",
                "name": "Recruiters on Signal",
                "query": "q=signal&persona=recruiter&page=3&csrfmiddlewaretoken=x&evil=1",
            },
        )
        saved = SavedFilter.objects.get()
        self.assertEqual(saved.query, "persona=recruiter&q=signal")
        page = client.get(QUEUE).content.decode()
        self.assertIn(f'href="?{saved.query.replace("&", "&amp;")}"', page)
        self.assertEqual(self.references(f"{QUEUE}?{saved.query}"), {self.quill.reference})

    def test_attack_another_person_cannot_delete_or_see_a_saved_filter(self) -> None:
        saved = SavedFilter.objects.create(
            user=self.security, queue="approaches", name="Mine", query="q=qiu"
        )
        other = self.client_for(self.other_officer)
        self.assertNotContains(other.get(QUEUE), "Mine")
        answer = other.post(f"/saved-filters/{saved.public_id}/delete/")
        self.assertEqual(answer.status_code, 404)
        self.assertTrue(SavedFilter.objects.filter(pk=saved.pk).exists())
        self.assertEqual(
            other.post("/saved-filters/", {"queue": "no-such", "name": "x"}).status_code, 404
        )

    def test_a_filter_without_a_name_is_not_saved_and_the_message_names_the_field(self) -> None:
        client = self.client_for(self.security)
        answer = client.post(
            "/saved-filters/", {"queue": "approaches", "name": "", "query": "q=x"}, follow=True
        )
        self.assertContains(answer, "Enter a name for this filter")
        self.assertFalse(SavedFilter.objects.exists())
