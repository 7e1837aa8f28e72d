"""TLP 2.0 sharing: who reads an alert in pages, the API, STIX exports and e-mail, per level."""

from __future__ import annotations

from portcullis.approaches.tests.test_access import api_client
from portcullis.intel.models import Alert, AlertDelivery
from portcullis.intel.services import AlertError, publish_alert
from portcullis.intel.tests.builders import IMMEDIATE_TASKS, make_alert
from portcullis.intel.tlp import Tlp
from portcullis.lib.testing.smtp import smtp_server
from portcullis.test import BaseTestCase

EVERYONE = Alert.Audience.EVERYONE
OFFICES = Alert.Audience.OFFICES
PARTIES = Alert.Audience.PARTIES
PEOPLE = Alert.Audience.PEOPLE
ALL = {"member", "staffer", "manager", "outsider", "security", "gate", "party_officer", "admin"}


class TlpSharingTests(BaseTestCase):
    def _readers(self, alert: Alert) -> set[str]:
        return {
            name
            for name in ALL
            if Alert.objects.visible_to(getattr(self, name)).filter(pk=alert.pk).exists()
        }

    def _told(self, alert: Alert) -> set[str]:
        people = set(AlertDelivery.objects.filter(alert=alert).values_list("person", flat=True))
        return {name for name in ALL if getattr(self, name).person_id in people}

    def test_each_tlp_level_reaches_exactly_whom_it_allows(self) -> None:
        cases = [
            (Tlp.CLEAR, EVERYONE, {}, ALL, ALL),
            (Tlp.GREEN, OFFICES, {"offices": [self.office_b]}, ALL, {"outsider"}),
            (Tlp.AMBER, EVERYONE, {}, ALL, ALL),
            (
                Tlp.AMBER,
                OFFICES,
                {"offices": [self.office_a]},
                {"member", "staffer", "manager", "security"},
                {"member", "staffer", "manager"},
            ),
            (
                Tlp.AMBER_STRICT,
                PARTIES,
                {"parties": [self.party_a]},
                {"party_officer", "security"},
                {"party_officer"},
            ),
            (
                Tlp.AMBER,
                PARTIES,
                {"parties": [self.party_a]},
                {"party_officer", "member", "security"},
                {"party_officer", "member"},
            ),
            (Tlp.AMBER, PARTIES, {"parties": [self.party_b]}, {"security"}, set()),
            (
                Tlp.RED,
                PEOPLE,
                {"recipients": [self.staffer.person, self.party_officer.person]},
                {"staffer", "party_officer", "security"},
                {"staffer", "party_officer"},
            ),
        ]
        for tlp, audience, chosen, readers, told in cases:
            with self.subTest(tlp=tlp, audience=audience):
                alert = make_alert(self.security, tlp=tlp, audience=audience, **chosen)
                self.assertEqual(self._readers(alert), readers)
                self.assertEqual(self._told(alert), told)
                self.assertTrue(told <= readers, "everyone told may read it")

    def test_a_party_officer_sees_only_what_was_shared_with_their_party(self) -> None:
        own = make_alert(
            self.security, tlp=Tlp.AMBER_STRICT, audience=PARTIES, parties=[self.party_a]
        )
        other = make_alert(self.security, tlp=Tlp.AMBER, audience=PARTIES, parties=[self.party_b])
        offices = make_alert(
            self.security, tlp=Tlp.AMBER, audience=OFFICES, offices=[self.office_a]
        )
        client = self.client_for(self.party_officer)
        self.assertEqual(client.get(own.get_absolute_url()).status_code, 200)
        for hidden in (other, offices):
            self.assertEqual(client.get(hidden.get_absolute_url()).status_code, 404)
            self.assertEqual(client.get(f"{hidden.get_absolute_url()}stix/").status_code, 404)
        listing = client.get("/intel/alerts/")
        self.assertContains(listing, own.reference)
        self.assertNotContains(listing, other.reference)
        ids = [
            a["id"] for a in api_client(self.party_officer).get("/api/v1/alerts/").json()["results"]
        ]
        self.assertEqual(ids, [str(own.public_id)])

    def test_a_red_alert_reaches_only_its_named_recipients(self) -> None:
        with IMMEDIATE_TASKS, smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            alert = make_alert(
                self.security,
                tlp=Tlp.RED,
                audience=PEOPLE,
                recipients=[self.staffer.person, self.member.person],
            )
        self.assertEqual(
            sorted(m["To"] for m in inbox), ["member@test.example", "staffer@test.example"]
        )
        for message in inbox:
            self.assertTrue(message["Subject"].startswith("[TLP:RED]"))
            body = message.get_content()
            self.assertNotIn("member@test.example", body)
            self.assertNotIn("staffer@test.example", body)
        for user in (self.manager, self.outsider, self.party_officer, self.admin, self.gate):
            client = self.client_for(user)
            self.assertEqual(client.get(alert.get_absolute_url()).status_code, 404)
            api = api_client(user)
            self.assertEqual(api.get(f"/api/v1/alerts/{alert.public_id}/").status_code, 404)
            self.assertEqual(api.get(f"/api/v1/alerts/{alert.public_id}/stix/").status_code, 404)
            self.assertNotContains(client.get("/"), alert.title)
        self.assertContains(self.client_for(self.staffer).get("/"), alert.title)

    def test_recipients_never_see_who_else_received_it(self) -> None:
        alert = make_alert(
            self.security,
            tlp=Tlp.RED,
            audience=PEOPLE,
            recipients=[self.staffer.person, self.member.person],
        )
        page = self.client_for(self.staffer).get(alert.get_absolute_url())
        self.assertContains(page, alert.title)
        self.assertNotContains(page, "Member")
        body = api_client(self.staffer).get(f"/api/v1/alerts/{alert.public_id}/").json()
        self.assertNotIn("recipients", body)
        self.assertNotIn("audience", body)
        stix = api_client(self.staffer).get(f"/api/v1/alerts/{alert.public_id}/stix/").json()
        self.assertNotIn("member@test.example", str(stix))
        self.assertNotIn("sighting", {o["type"] for o in stix["objects"]})
        security = api_client(self.security).get(f"/api/v1/alerts/{alert.public_id}/").json()
        self.assertEqual(sorted(security["recipients"]), ["Member", "Staffer"])

    def test_red_must_name_its_recipients_and_strict_cannot_go_to_everyone(self) -> None:
        for tlp, audience in (
            (Tlp.RED, EVERYONE),
            (Tlp.RED, OFFICES),
            (Tlp.AMBER_STRICT, EVERYONE),
        ):
            with self.subTest(tlp=tlp, audience=audience):
                alert = make_alert(
                    self.security,
                    tlp=tlp,
                    audience=audience,
                    offices=[self.office_a],
                    publish=False,
                )
                with self.assertRaises(AlertError):
                    publish_alert(alert=alert, actor=self.security)
                self.assertEqual(self._readers(alert), {"security"})

    def test_drafts_and_withdrawn_alerts_are_for_security_only(self) -> None:
        draft = make_alert(self.security, tlp=Tlp.CLEAR, publish=False)
        self.assertEqual(self._readers(draft), {"security"})
        self.assertEqual(
            self.client_for(self.staffer).get(draft.get_absolute_url()).status_code, 404
        )

    def test_only_security_writes_alerts(self) -> None:
        alert = make_alert(self.security, publish=False)
        for user in (self.staffer, self.manager, self.party_officer, self.admin):
            client = self.client_for(user)
            self.assertEqual(client.get("/intel/alerts/new/").status_code, 403)
            self.assertEqual(client.get("/intel/alerts/import/").status_code, 403)
            self.assertEqual(client.post(f"{alert.get_absolute_url()}publish/").status_code, 403)
            self.assertEqual(client.get("/intel/campaigns/").status_code, 403)
        alert.refresh_from_db()
        self.assertEqual(alert.status, Alert.Status.DRAFT)

    def test_acknowledging_an_alert_is_tracked(self) -> None:
        alert = make_alert(self.security, tlp=Tlp.GREEN)
        client = self.client_for(self.staffer)
        self.assertContains(client.get("/"), "Alerts for you")
        client.post(f"{alert.get_absolute_url()}acknowledge/", {"next": "dashboard"})
        delivery = AlertDelivery.objects.get(alert=alert, person=self.staffer.person)
        self.assertIsNotNone(delivery.acknowledged_at)
        self.assertNotContains(client.get("/"), alert.title)
        self.assertContains(self.client_for(self.security).get(alert.get_absolute_url()), "read: 1")
