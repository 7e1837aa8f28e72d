"""Published alert people and organisations feed the screening engine's watchlist, within TLP."""

from __future__ import annotations

from portcullis.intel.services import withdraw_alert
from portcullis.intel.tests.builders import make_alert
from portcullis.intel.tlp import Tlp
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

    def test_red_and_strict_alerts_stay_out_of_the_shared_watchlist(self) -> None:
        make_alert(self.security, tlp=Tlp.RED, audience="people", recipients=[self.staffer.person])
        make_alert(self.security, tlp=Tlp.AMBER_STRICT, audience="offices", offices=[self.office_a])
        self.assertNotIn("Amanda Qiu", hits("Amanda Qiu", self.party_officer))
