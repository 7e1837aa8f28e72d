"""The demo loader runs through the real services and is idempotent."""

from __future__ import annotations

from django.test import override_settings

from portcullis.accounts.models import Role
from portcullis.phishing import demo
from portcullis.phishing.models import EmailTemplate, ReportedEmail, SimulationCampaign, Target
from portcullis.test import BaseTestCase, make_user

from .app_builders import add_staff, remedial_course


@override_settings(PROTECTED_DOMAINS=["parliament.example"])
class DemoTests(BaseTestCase):
    def test_the_demo_loads_once_and_a_second_run_changes_nothing(self) -> None:
        make_user("security@demo.test", Role.SECURITY_OFFICER, organisation=self.security_team)
        add_staff(self.office_a, 5, "Demo")
        remedial_course()
        demo.load()
        counts = (
            EmailTemplate.objects.count(),
            ReportedEmail.objects.count(),
            Target.objects.count(),
        )
        self.assertGreaterEqual(counts[0], 8)
        self.assertEqual(counts[1], 3)
        self.assertGreater(counts[2], 0)
        self.assertEqual(
            SimulationCampaign.objects.get().status, SimulationCampaign.Status.FINISHED
        )
        demo.load()
        again = (
            EmailTemplate.objects.count(),
            ReportedEmail.objects.count(),
            Target.objects.count(),
        )
        self.assertEqual(again, counts)
