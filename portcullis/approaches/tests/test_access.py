"""Who sees which report, in pages and the API; anonymity; evidence downloads; who triages."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from portcullis.approaches.models import Report
from portcullis.approaches.services import ReportInput, submit_report
from portcullis.approaches.tests.builders import make_report
from portcullis.intel.tests.builders import media_in_tmp
from portcullis.test import BaseTestCase, api_token_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def api_client(user):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


@media_in_tmp()
class ReportAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = make_report(cls.staffer, approacher_name="Amanda Qiu")
        cls.anonymous = make_report(cls.staffer, approacher_name="Shirly Shen", anonymous=True)
        cls.other_office = make_report(cls.outsider, approacher_name="Someone Else")

    def test_it_hides_other_offices_reports_in_pages(self) -> None:
        client = self.client_for(self.outsider)
        self.assertEqual(client.get(self.report.get_absolute_url()).status_code, 404)
        self.assertEqual(client.get(self.other_office.get_absolute_url()).status_code, 200)
        listing = client.get("/approaches/")
        self.assertNotContains(listing, self.report.reference)
        self.assertContains(listing, self.other_office.reference)

    def test_it_hides_other_offices_reports_in_the_api(self) -> None:
        client = api_client(self.outsider)
        response = client.get(f"/api/v1/approaches/{self.report.public_id}/")
        self.assertEqual(response.status_code, 404)
        ids = [r["id"] for r in client.get("/api/v1/approaches/").json()["results"]]
        self.assertEqual(ids, [str(self.other_office.public_id)])

    def test_office_colleagues_see_named_reports_but_not_anonymous_ones(self) -> None:
        for colleague in (self.member, self.manager):
            client = self.client_for(colleague)
            self.assertEqual(client.get(self.report.get_absolute_url()).status_code, 200)
            self.assertEqual(client.get(self.anonymous.get_absolute_url()).status_code, 404)

    def test_the_reporter_and_security_see_an_anonymous_report_and_only_security_the_name(
        self,
    ) -> None:
        own = self.client_for(self.staffer).get(self.anonymous.get_absolute_url())
        self.assertContains(own, "Staffer")
        seen = self.client_for(self.security).get(self.anonymous.get_absolute_url())
        self.assertContains(seen, "Staffer")
        api = api_client(self.security).get(f"/api/v1/approaches/{self.anonymous.public_id}/")
        self.assertEqual(api.json()["reporter"], "Staffer")

    def test_the_reporter_name_is_hidden_from_everyone_else(self) -> None:
        self.assertEqual(
            self.anonymous.reporter_shown_to(self.manager), "Not named (the reporter asked)"
        )
        self.assertEqual(
            self.anonymous.reporter_shown_to(self.admin), "Not named (the reporter asked)"
        )

    def test_other_roles_see_no_reports_but_their_own(self) -> None:
        for user in (self.gate, self.party_officer, self.admin):
            self.assertFalse(Report.objects.visible_to(user).exists(), user)
            client = self.client_for(user)
            self.assertEqual(client.get(self.report.get_absolute_url()).status_code, 404)

    def test_triage_pages_are_for_security_officers_only(self) -> None:
        for user in (self.staffer, self.manager, self.admin, self.party_officer):
            client = self.client_for(user)
            self.assertEqual(client.get("/approaches/triage/").status_code, 403)
            url = f"/approaches/{self.report.public_id}/triage/"
            self.assertIn(client.post(url, {"status": "closed"}).status_code, (403, 404))
        self.assertEqual(self.client_for(self.security).get("/approaches/triage/").status_code, 200)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        from django.test import Client

        for url in ("/approaches/", "/approaches/report/", self.report.get_absolute_url()):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/sign-in/", response["Location"])
        self.assertEqual(Client().get("/api/v1/approaches/").status_code, 401)


@media_in_tmp()
class EvidenceTests(BaseTestCase):
    def _report_with(self, name: str, content: bytes) -> Report:
        return submit_report(
            data=ReportInput(
                channel="network",
                persona="recruiter",
                occurred_on=__import__("datetime").date(2025, 11, 20),
                office=self.office_a,
            ),
            actor=self.staffer,
            evidence=[SimpleUploadedFile(name, content, content_type="image/png")],
        )

    def test_evidence_downloads_only_as_an_attachment_and_only_to_those_who_see_the_report(
        self,
    ) -> None:
        report = self._report_with('<script>x</script>"shot.png', PNG)
        item = report.evidence.get()
        url = f"/approaches/{report.public_id}/evidence/{item.public_id}/"
        response = self.client_for(self.manager).get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertEqual(b"".join(response.streaming_content), PNG)  # type: ignore[attr-defined]
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 404)
        self.assertEqual(self.client_for(self.security).get(url).status_code, 200)

    def test_evidence_is_stored_under_a_random_name_outside_static(self) -> None:
        report = self._report_with("../../static/evil.png", PNG)
        item = report.evidence.get()
        self.assertTrue(item.file.name.startswith("approaches/evidence/"))
        self.assertNotIn("evil", item.file.name)
        self.assertEqual(item.original_name, "evil.png")
