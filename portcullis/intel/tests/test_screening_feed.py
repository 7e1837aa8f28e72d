"""Published alert people and organisations are one source in the screening index, each entry
carrying its alert's audience: a screening shows an alert's names only to those its TLP admits."""

from __future__ import annotations

from portcullis.intel import services
from portcullis.intel.services import withdraw_alert
from portcullis.intel.tests.builders import make_alert
from portcullis.intel.tlp import Tlp
from portcullis.ledger.actors import WORKER
from portcullis.screening import matching
from portcullis.screening.services import screen_subject
from portcullis.test import BaseTestCase


def hits(name: str, actor) -> list[str]:  # type: ignore[no-untyped-def]
    screening = screen_subject(
        subject=matching.Subject(name=name), actor=actor, purpose="donor check"
    )
    return [r.caption for r in screening.results.filter(is_match=True)]


class ScreeningFeedTests(BaseTestCase):
    def test_a_later_screening_finds_the_alert_person_in_another_order(self) -> None:
        alert = make_alert(self.security, tlp=Tlp.GREEN)
        self.assertIn("Amanda Qiu", hits("QIU Amanda", self.party_officer))
        self.assertIn("BR-YR Executive Search", hits("BRYR Executive Search", self.security))
        withdraw_alert(alert=alert, actor=self.security)
        self.assertNotIn("Amanda Qiu", hits("QIU Amanda", self.security))

    def test_a_red_alert_shows_in_screening_to_its_recipient_and_security_only(self) -> None:
        alert = make_alert(
            self.security, tlp=Tlp.RED, audience="people", recipients=[self.staffer.person]
        )
        for user, sees in (
            (self.security, True),
            (self.staffer, True),
            (self.party_officer, False),
            (self.member, False),
            (self.manager, False),
            (self.outsider, False),
            (self.admin, False),
        ):
            with self.subTest(user=user.email):
                self.assertEqual("Amanda Qiu" in hits("QIU Amanda", user), sees)
        # Not a near miss either, and not crowded out: nothing at all about it.
        screening = screen_subject(
            subject=matching.Subject(name="QIU Amanda"), actor=self.member, purpose="donor check"
        )
        self.assertFalse(screening.results.exists())
        withdraw_alert(alert=alert, actor=self.security)
        self.assertNotIn("Amanda Qiu", hits("QIU Amanda", self.security))

    def test_an_amber_strict_alert_reaches_its_office_only(self) -> None:
        make_alert(self.security, tlp=Tlp.AMBER_STRICT, audience="offices", offices=[self.office_a])
        self.assertIn("Amanda Qiu", hits("Amanda Qiu", self.manager))
        self.assertNotIn("Amanda Qiu", hits("Amanda Qiu", self.outsider))
        self.assertNotIn("Amanda Qiu", hits("Amanda Qiu", self.party_officer))

    def test_an_amber_party_alert_reaches_the_partys_officers_and_members(self) -> None:
        make_alert(self.security, tlp=Tlp.AMBER, audience="parties", parties=[self.party_a])
        self.assertIn("Amanda Qiu", hits("Amanda Qiu", self.party_officer))
        self.assertIn("Amanda Qiu", hits("Amanda Qiu", self.member))
        self.assertNotIn("Amanda Qiu", hits("Amanda Qiu", self.staffer))

    def test_a_monitored_subject_is_rescreened_as_its_owner_sees(self) -> None:
        from portcullis.screening.services import monitor_subject, rescreen_one, subject_for

        watched = {}
        for owner, name in ((self.party_officer, "QIU Amanda"), (self.staffer, "Amanda Qiu")):
            subject = subject_for(query=matching.Subject(name=name), party=None)
            watched[owner.pk] = monitor_subject(
                subject=subject, owner=owner, purpose="donor", actor=owner
            )
        make_alert(self.security, tlp=Tlp.RED, audience="people", recipients=[self.staffer.person])
        for owner, sees in ((self.party_officer, False), (self.staffer, True)):
            monitored = watched[owner.pk]
            rescreen_one(monitored_id=monitored.pk, actor=WORKER)
            monitored.refresh_from_db()
            last = monitored.last_screening
            assert last is not None
            self.assertEqual(last.results.filter(caption="Amanda Qiu").exists(), sees)


class AlertReadersTests(BaseTestCase):
    """`Alert.readers()` (the audience that travels into the screening index) and
    `Alert.objects.visible_to` are one rule: equal for every marking, audience and role."""

    def test_readers_admit_exactly_who_visible_to_lets_read(self) -> None:
        from portcullis.accounts.need_to_know import viewer_of
        from portcullis.intel.models import Alert

        people = [
            self.member,
            self.staffer,
            self.manager,
            self.outsider,
            self.security,
            self.gate,
            self.party_officer,
            self.admin,
        ]
        shapes = [
            ("everyone", {}),
            ("offices", {"offices": [self.office_a]}),
            ("parties", {"parties": [self.party_a]}),
            ("people", {"recipients": [self.outsider.person]}),
        ]
        checked = 0
        for tlp in Tlp:
            for audience, chosen in shapes:
                for publish in (True, False):
                    alert = make_alert(
                        self.security,
                        tlp=tlp,
                        audience=audience,
                        publish=False,
                        **chosen,  # type: ignore[arg-type]
                    )
                    if publish and not services.problems(alert):
                        services.publish_alert(alert=alert, actor=self.security)
                    readers = alert.readers()
                    for user in people:
                        with self.subTest(tlp=tlp, audience=audience, user=user.email):
                            visible = Alert.objects.visible_to(user).filter(pk=alert.pk).exists()
                            self.assertEqual(readers.admits(viewer_of(user)), visible)
                            checked += 1
                    alert.delete()
        self.assertEqual(checked, len(Tlp) * len(shapes) * 2 * len(people))

    def test_red_and_strict_alerts_stay_out_of_the_shared_watchlist(self) -> None:
        make_alert(self.security, tlp=Tlp.RED, audience="people", recipients=[self.staffer.person])
        make_alert(self.security, tlp=Tlp.AMBER_STRICT, audience="offices", offices=[self.office_a])
        self.assertNotIn("Amanda Qiu", hits("Amanda Qiu", self.party_officer))
