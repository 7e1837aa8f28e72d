"""The security team opens a party's training records to its compliance officer, and withdraws
them, from a page; each a service with a ledger row. Nobody else can."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from portcullis.ledger.models import LedgerEntry
from portcullis.test import BaseTestCase
from portcullis.training.models import TrainingAccessGrant


class AccessGrantPageTests(BaseTestCase):
    url = reverse("training:access-grants")

    def officer_membership(self):
        return self.party_officer.person.memberships.get()

    def test_the_security_team_opens_and_withdraws_access_with_ledger_rows(self) -> None:
        client = self.client_for(self.security)
        member_record = reverse("training:person", args=[self.member.person.public_id])
        self.assertEqual(self.client_for(self.party_officer).get(member_record).status_code, 404)
        data = {
            "officer": str(self.officer_membership().public_id),
            "starts_on": timezone.localdate().isoformat(),
        }
        self.assertEqual(client.post(self.url, data).status_code, 302)
        grant = TrainingAccessGrant.objects.get()
        self.assertEqual((grant.grantee, grant.party), (self.party_officer.person, self.party_a))
        self.assertEqual(
            LedgerEntry.objects.get(action="training_access.grant").actor, self.security
        )
        self.assertEqual(self.client_for(self.party_officer).get(member_record).status_code, 200)
        self.assertContains(client.get(self.url), self.party_officer.person.full_name)
        revoke = reverse("training:access-grant-revoke", args=[grant.public_id])
        self.assertEqual(client.post(revoke).status_code, 302)
        self.assertTrue(LedgerEntry.objects.filter(action="training_access.revoke").exists())
        self.assertEqual(self.client_for(self.party_officer).get(member_record).status_code, 404)

    def test_an_empty_grant_names_its_fields(self) -> None:
        form = self.client_for(self.security).post(self.url, {}).context["form"]
        self.assertEqual(
            dict(form.errors),
            {
                "officer": ["Choose the party compliance officer"],
                "starts_on": ["Enter the day access starts"],
            },
        )

    def test_an_end_before_the_start_is_refused_on_its_field(self) -> None:
        data = {
            "officer": str(self.officer_membership().public_id),
            "starts_on": "2026-03-10",
            "expires_on": "2026-03-01",
        }
        form = self.client_for(self.security).post(self.url, data).context["form"]
        self.assertEqual(form.errors["expires_on"], ["The end must be on or after the start"])
        self.assertFalse(TrainingAccessGrant.objects.exists())

    def test_no_one_else_opens_records(self) -> None:
        for role in ("member", "staffer", "manager", "outsider", "gate", "party_officer", "admin"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.client_for(getattr(self, role)).get(self.url).status_code, 403
                )
