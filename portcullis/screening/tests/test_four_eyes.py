"""Four eyes, written as the attack: with PORTCULLIS_SCREENING_FOUR_EYES on, a true match one
security officer records stays pending until a second, different security officer confirms it."""

from django.test import override_settings
from django.urls import reverse

from portcullis.accounts.models import Role
from portcullis.ledger.models import LedgerEntry
from portcullis.screening.models import Decision, ScreeningResult
from portcullis.screening.services import (
    ScreeningError,
    confirm_decision,
    record_decision,
    screen_subject,
)
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase, make_user

Status = ScreeningResult.Status


@override_settings(SCREENING_FOUR_EYES=True)
class FourEyesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        watchlist("Local watchlist", person("Viktor Grebenshchikov", dob="1961-03-02"))
        cls.second = make_user(
            "second@test.example", Role.SECURITY_OFFICER, organisation=cls.security_team
        )

    def pending(self):
        screening = screen_subject(
            subject=query("Viktor Grebenshchikov", dob="1961-03-02"),
            actor=self.security,
            purpose="visitor",
        )
        result = screening.results.get(is_match=True)
        decision = record_decision(
            result=result, verdict="true_match", reason="same passport", actor=self.security
        )
        result.refresh_from_db()
        return screening, result, decision

    def confirm_url(self, decision):
        return reverse("screening:decision-confirm", args=[decision.public_id])

    def test_a_true_match_stays_pending_and_the_same_officer_cannot_confirm_it(self):
        screening, result, decision = self.pending()
        self.assertEqual(result.status, Status.PENDING)
        self.assertTrue(decision.awaiting_second)
        with self.assertRaisesMessage(ScreeningError, "a second security officer"):
            confirm_decision(decision=decision, actor=self.security)
        page = self.client_for(self.security).post(self.confirm_url(decision), follow=True)
        self.assertContains(page, "a second security officer confirms it")
        self.assertNotContains(page, "Confirm the true match")  # no button for the recorder
        decision.refresh_from_db()
        self.assertTrue(decision.awaiting_second)
        self.assertIsNone(decision.confirmed_by)
        self.assertFalse(LedgerEntry.objects.filter(action="screening_decision.confirm").exists())
        again = screen_subject(
            subject=query("Viktor Grebenshchikov", dob="1961-03-02"),
            actor=self.security,
            purpose="visitor",
        )
        self.assertEqual(again.results.get(is_match=True).status, Status.PENDING)

    def test_a_non_security_role_trying_to_confirm_gets_404(self):
        _, _, decision = self.pending()
        # A party officer screens and may read the screening, yet is told the decision does not
        # exist; roles that cannot screen at all meet the screening pages' gate (403, as every
        # screening page gives them).
        response = self.client_for(self.party_officer).post(self.confirm_url(decision))
        self.assertEqual(response.status_code, 404)
        for user in (self.staffer, self.admin):
            with self.subTest(user=user.email):
                response = self.client_for(user).post(self.confirm_url(decision))
                self.assertEqual(response.status_code, 403)
        with self.assertRaises(ScreeningError):
            confirm_decision(decision=decision, actor=self.party_officer)
        decision.refresh_from_db()
        self.assertTrue(decision.awaiting_second)

    def test_a_second_security_officer_confirms_with_a_ledger_row_for_each(self):
        screening, result, decision = self.pending()
        client = self.client_for(self.second)
        detail = reverse("screening:screening-detail", args=[screening.public_id])
        self.assertContains(client.get(detail), "Confirm the true match")
        response = client.post(self.confirm_url(decision))
        self.assertRedirects(response, detail)
        decision.refresh_from_db()
        result.refresh_from_db()
        self.assertEqual((decision.awaiting_second, decision.confirmed_by), (False, self.second))
        self.assertEqual(result.status, Status.CONFIRMED)
        recorded = LedgerEntry.objects.get(action="screening_decision.record")
        confirmed = LedgerEntry.objects.get(action="screening_decision.confirm")
        self.assertEqual(recorded.data["awaiting_second"], True)
        self.assertEqual(confirmed.data["recorded_by"], self.security.pk)
        self.assertEqual(
            self.client_for(self.second).post(self.confirm_url(decision)).status_code, 404
        )

    @override_settings(SCREENING_FOUR_EYES=False)
    def test_without_the_setting_a_true_match_is_confirmed_at_once(self):
        _, result, decision = self.pending()
        self.assertEqual(result.status, Status.CONFIRMED)
        self.assertFalse(decision.awaiting_second)
        self.assertEqual(Decision.objects.count(), 1)
