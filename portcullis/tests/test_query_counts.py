"""Every list page and API list runs as many queries for twelve rows of each kind as for two.

The data grows through the services (people, offices, courses and assignments, completions,
clearances, devices, approach reports and their campaigns, alerts, screenings, monitored subjects,
watchlists, batches, reported e-mails, simulations and their events (results and trend),
do-not-test entries, sending profiles, and the
ledger entries all of these write); each URL is fetched by a role that sees those rows, at both
sizes, and the two query counts must be equal.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portcullis.accounts.models import Membership, Office, Role, User
from portcullis.approaches.tests.builders import make_report
from portcullis.donations.models import Interest
from portcullis.donations.services import interests, referrals
from portcullis.donations.tests.builders import accept, give
from portcullis.intel.extract import Kind
from portcullis.intel.services import IndicatorInput
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert, media_in_tmp
from portcullis.ledger.actors import WORKER
from portcullis.phishing.models import Event, SimulationCampaign
from portcullis.phishing.services import simulations
from portcullis.phishing.services.events import record_event
from portcullis.phishing.services.reports import file_report
from portcullis.phishing.tests.app_builders import (
    MONDAY,
    at,
    draft_campaign,
    impersonation,
    sending_profile,
)
from portcullis.protection.services import issue_device, record_clearance
from portcullis.screening import services as screening
from portcullis.screening.batch import decide_hit, run_batch, start_batch
from portcullis.screening.imports import add_watchlist_entry
from portcullis.screening.models import BatchScreening, ListEntity, OutcomeChange
from portcullis.screening.tests.builders import person as watchlist_person
from portcullis.screening.tests.builders import query, watchlist
from portcullis.test import BaseTestCase, make_office, make_person
from portcullis.tests.test_api_lists import list_urls
from portcullis.training.models import Assignment
from portcullis.training.services import (
    grant_exemption,
    record_external_completion,
    sync_all_assignments,
)
from portcullis.training.tests.builders import make_course, make_requirement
from portcullis.visitors import services as visitors
from portcullis.visitors.tests.builders import PASSPORT, ready_today
from portcullis.visitors.tests.builders import area as visitor_area

# The list pages (URL names; fetched without arguments) and the role that reads their rows.
LIST_PAGES = {
    "dashboard": "security",
    "accounts:people": "security",
    "accounts:offices": "security",
    "ledger:entries": "security",
    "training:mine": "staffer",
    "training:courses": "staffer",
    "training:compliance": "security",
    "training:disclosure-lists": "security",
    "training:author-courses": "security",
    "training:requirements": "security",
    "approaches:mine": "staffer",
    "approaches:queue": "security",
    "approaches:figures": "security",
    "screening:figures": "security",
    "intel:alerts": "security",
    "intel:campaigns": "security",
    "screening:screenings": "security",
    "screening:monitoring": "security",
    "screening:batches": "security",
    "screening:lists": "security",
    "phishing:queue": "security",
    "phishing:campaigns": "security",
    "phishing:results": "manager",
    "phishing:templates": "security",
    "phishing:do-not-test": "security",
    "phishing:profiles": "security",
    "donations:list": "security",
    "donations:reports": "security",
    "donations:referrals": "security",
    "donations:interests": "security",
    "donations:rules": "security",
    "visitors:visits": "security",
    "visitors:approvals": "security",
    "visitors:on-site": "security",
    "visitors:roll-calls": "security",
}
# The staffer's own lists, also read through the API by the staffer.
STAFFER_API = {"/api/v1/training/assignments/", "/api/v1/training/completions/"}
SMALL, LARGE = 2, 12
TODAY = timezone.localdate()


@IMMEDIATE_TASKS
@media_in_tmp()
class QueryCountsDoNotGrowWithRows(BaseTestCase):
    serial = count()

    def grow(self, rows: int) -> None:
        """Add `rows` of every kind the lists show."""
        for _ in range(rows):
            self.add_one(next(self.serial))
        sync_all_assignments(actor=WORKER, today=TODAY)

    def add_one(self, n: int) -> None:
        sec = self.security
        office = make_office(f"Growth Office {n}", self.house)
        member = make_person(f"Growth Member {n}", f"growth.member{n}@test.example", self.party_a)
        Membership.objects.create(
            person=member, organisation=self.house, office=office, role=Role.MEMBER
        )
        staff = make_person(f"Growth Staffer {n}", f"growth.staff{n}@test.example")
        Membership.objects.create(
            person=staff, organisation=self.house, office=self.office_a, role=Role.STAFFER
        )
        course = make_course(f"growth-course-{n}", questions=3, per_attempt=1)
        make_requirement(course, due_within_days=1, starts_on=date(2024, 1, 1))
        sync_all_assignments(actor=WORKER, today=TODAY)
        for who in (self.staffer.person, staff):
            record_external_completion(
                person=who,
                course=course,
                completed_on=TODAY,
                evidence_note="Signed register",
                actor=sec,
            )
        grant_exemption(
            person=member,
            course=course,
            reason="leave",
            detail="On leave",
            starts_on=TODAY - timedelta(days=1),
            ends_on=None,
            actor=sec,
        )
        record_clearance(
            person=staff,
            level="SC",
            status="cleared",
            applied_on=TODAY - timedelta(days=90),
            granted_on=TODAY - timedelta(days=30),
            expires_on=TODAY + timedelta(days=900),
            actor=sec,
        )
        issue_device(person=member, serial=f"SOS-{n}", actor=sec, today=TODAY)
        # Two reports sharing an address: they make a campaign.
        for k in range(2):
            make_report(
                self.staffer,
                approacher_name=f"Approacher {n}",
                approacher_contact=f"recruiter{n}@hostile{n}.example",
                account=f"Approach {n}.{k}",
            )
        make_alert(
            sec,
            title=f"Growth alert {n}",
            indicators=[IndicatorInput(Kind.EMAIL, f"alert{n}@hostile{n}.example")],
        )
        source = watchlist(f"Growth list {n}", watchlist_person(f"Grigori Watchlisted{n}"))
        found = screening.screen_subject(
            subject=query(f"Grigori Watchlisted{n}"), actor=sec, purpose="donor check"
        )
        screening.monitor_subject(
            subject=found.subject, owner=sec, purpose="donor check", actor=sec
        )
        # A second entry for the monitored name: the re-screen records an outcome change.
        add_watchlist_entry(
            source=source, entry=watchlist_person(f"Grigory Watchlisted{n}"), actor=sec
        )
        screening.rescreen_monitored(actor=WORKER)
        batch = BatchScreening(file_name=f"batch{n}.csv", purpose="donors", created_by=sec)
        batch.upload.save(f"batch{n}.csv", ContentFile(b"name\nA Person\n"), save=False)
        batch.save()
        file_report(
            raw=impersonation(to=f"growth.staff{n}@test.example", greeting=f"Hi {n}"),
            actor=self.staffer,
            source="upload",
        )
        simulations.add_do_not_test(person=staff, reason="Sensitive role", until=None, actor=sec)
        self.run_campaign(
            draft_campaign(sec, [self.office_a], profile=sending_profile(port=2500 + n))
        )
        self.add_party_business(n)
        self.add_visitors(n)

    def run_campaign(self, campaign: SimulationCampaign) -> None:
        """Schedule a campaign and deliver it, every other person opening it and every third
        reporting it (through the event service): the trend and the results have figures."""
        simulations.schedule_campaign(campaign=campaign, actor=self.security, now=at(MONDAY, 8))
        for i, target in enumerate(campaign.targets.order_by("pk")):
            kinds = [Event.Kind.SENT, Event.Kind.OPENED][: 1 + (i % 2 == 0)]
            kinds += [Event.Kind.REPORTED] if i % 3 == 0 else []
            for kind in kinds:
                record_event(target=target, kind=kind, now=at(MONDAY, 10 + len(kinds)))

    def results_campaign(self) -> str:
        """One campaign over every office, scheduled again as the offices grow (its results page
        has a row per office)."""
        campaign = getattr(self, "_results", None)
        if campaign is None:
            campaign = draft_campaign(
                self.security, [self.office_a], roles=(Role.STAFFER, Role.MEMBER)
            )
            self._results = campaign
        else:
            campaign.targets.all().delete()
            SimulationCampaign.objects.filter(pk=campaign.pk).update(
                status=SimulationCampaign.Status.DRAFT
            )
            campaign.refresh_from_db()
        campaign.offices.set(Office.objects.all())
        self.run_campaign(campaign)
        return str(campaign.public_id)

    def add_party_business(self, n: int) -> None:
        """A donation, a briefed referral and a register entry."""
        day = TODAY - timedelta(days=40)
        accept(give(self.party_a, self.party_officer, 600 + n, day), self.party_officer)
        referral = referrals.refer(
            data=referrals.ReferralInput(party=self.party_a, subject="donor", name=f"Donor {n}"),
            actor=self.party_officer,
        )
        referrals.brief_party(
            referral=referral,
            actor=self.security,
            recommendation="no_concerns",
            briefing="No concerns.",
            basis="",
        )
        interests.record_interest(
            member=self.member.person,
            data=interests.InterestInput(
                category=Interest.Category.GIFT_UK,
                donor_name=f"Giver {n}",
                donor_status="company",
                description="Dinner",
                value=Decimal(400),
                received_on=day,
                accepted_on=day,
            ),
            actor=self.member,
        )

    def add_visitors(self, n: int) -> None:
        """Visitors today (one on site), a walk-in waiting, and a roll call of everyone on site."""
        lobby = visitor_area("Central Lobby", escort_required=False)
        on_site, _ = ready_today(
            self.staffer,
            f"Growth Visitor {n}",
            f"Growth Guest {n}",
            approver=self.security,
            where=lobby,
        )
        visitors.check_in_visit(visit=on_site, id_check=PASSPORT, escort=None, actor=self.gate)
        visitors.register_walk_in(
            visitor=visitors.VisitorInput(name=f"Growth Walk-in {n}"),
            host=self.staffer,
            area=lobby,
            purpose="",
            actor=self.gate,
        )
        roll_call = visitors.start_roll_call(actor=self.security)
        visitors.end_roll_call(roll_call=roll_call, actor=self.security)

    def counts(self) -> dict[tuple[str, str], int]:
        found = {}
        clients: dict[str, Client] = {}
        users: dict[str, User] = {
            "security": self.security,
            "staffer": self.staffer,
            "manager": self.manager,
        }
        targets = [(self.url(name), role) for name, role in LIST_PAGES.items()]
        # Pages of one thing that list its rows: the office the growth staff join.
        office = str(self.office_a.public_id)
        targets += [
            (self.url("accounts:office-detail", office), "security"),
            (self.url("training:compliance-office", office), "security"),
            (self.url("visitors:gate") + "?q=Growth", "security"),
            ("/api/v1/visitors/visits/expected/", "security"),
            (self.url("screening:batch-detail", self.review_batch()), "security"),
        ]
        results = self.url("phishing:campaign-results", self.results_campaign())
        targets += [(results, "security"), (results, "manager")]
        targets += [(url, "security") for url in list_urls()]
        targets += [(url, "staffer") for url in sorted(STAFFER_API)]
        for url, role in targets:
            client = clients.setdefault(role, self.client_for(users[role]))
            client.get(url)  # warm: sessions, content types, the screening index
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            self.assertEqual(response.status_code, 200, f"{role} {url}")
            found[(role, url)] = len(queries)
        return found

    def review_batch(self) -> str:
        """A batch of every watchlisted name grown so far and a bad row for each, screened and
        one hit decided: its page lists a hit and a problem per row."""
        names = list(
            ListEntity.objects.filter(caption__startswith="Grigori Watchlisted")
            .values_list("caption", flat=True)
            .distinct()
        )
        lines = [
            "reference,name,birth_date",
            *(f"R{i},{n},1961-13-01" for i, n in enumerate(names)),
        ]
        upload = ContentFile("\n".join([*lines, *(f"X{i},," for i in range(len(names)))]).encode())
        batch = getattr(self, "_review", None)
        if batch is None:  # one batch, screened again as it grows: its page keeps one address
            with self.captureOnCommitCallbacks(execute=False):
                batch = start_batch(
                    upload=upload,
                    file_name="review.csv",
                    purpose="donors",
                    party=None,
                    actor=self.security,
                )
            self._review = batch
        else:
            batch.upload.save("review.csv", upload)
            BatchScreening.objects.filter(pk=batch.pk).update(status=BatchScreening.Status.QUEUED)
        batch = run_batch(batch=batch, actor=self.security)
        hit = batch.hits.first()
        assert hit is not None and batch.problems.count() == 2 * len(names)
        decide_hit(hit=hit, verdict="false_positive", reason="other person", actor=self.security)
        return str(batch.public_id)

    def url(self, name: str, *args: str) -> str:
        return reverse(name, args=args)

    def test_every_list_runs_the_same_queries_for_more_rows(self) -> None:
        self.grow(SMALL)
        small = self.counts()
        self.grow(LARGE - SMALL)
        self.assertGreaterEqual(Assignment.objects.count(), LARGE)
        large = self.counts()
        grown = {
            f"{role} {url}": f"{small[(role, url)]} → {large[(role, url)]}"
            for role, url in small
            if large[(role, url)] != small[(role, url)]
        }
        self.assertEqual(grown, {}, "queries grew with the rows")
        self.assertGreater(len(small), 30)

    def test_the_lists_are_not_empty(self) -> None:
        """The counts above are of lists with rows in them, not of empty pages."""
        self.grow(SMALL)
        client = self.client_for(self.security)
        for url in list_urls():
            body = client.get(url).json()
            with self.subTest(url=url):
                self.assertGreater(body["count"], 0)
        self.assertEqual(Office.objects.filter(name__startswith="Growth").count(), SMALL)
        self.assertGreaterEqual(OutcomeChange.objects.count(), SMALL)
