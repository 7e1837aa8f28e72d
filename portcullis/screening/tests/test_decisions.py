from portcullis.ledger.actors import WORKER
from portcullis.screening import matching
from portcullis.screening.imports import (
    WatchlistEntry,
    add_watchlist_entry,
    current_entities,
    publish_version,
)
from portcullis.screening.models import Decision, ScreeningResult
from portcullis.screening.services import ScreeningError, record_decision, screen_subject
from portcullis.screening.tests.builders import person, query, watchlist
from portcullis.test import BaseTestCase

Status = ScreeningResult.Status


class DecisionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = watchlist(
            "Local watchlist",
            person("Viktor Grebenshchikov", dob="1961-03-02", country="RU"),
            person("Amara Okonkwo-Bassey", dob="1979"),
        )

    def screen(self, name="Viktor Grebenshchikov", party=None, actor=None, **kw):
        return screen_subject(
            subject=query(name, **kw),
            actor=actor or self.security,
            purpose="donor check",
            party=party,
        )

    def hit(self, screening):
        return screening.results.get(
            status__in=[Status.NEW, Status.REVIEW_AGAIN, Status.CLEARED, Status.CONFIRMED]
        )

    def test_results_are_explained_and_carry_algorithm_threshold_and_list_version(self):
        screening = self.screen(dob="1961-03-02")
        result = self.hit(screening)
        self.assertEqual(result.status, Status.NEW)
        self.assertEqual(result.algorithm, matching.DEFAULT_ALGORITHM)
        self.assertEqual(result.threshold, matching.get_algorithm().threshold)
        self.assertEqual(result.list_version, self.source.current_version)
        self.assertGreaterEqual(result.score, result.threshold)
        names = {f["name"] for f in result.features}
        self.assertIn("name_similarity", names)
        self.assertIn("dob_exact", names)
        self.assertTrue(all(f["explanation"] for f in result.features))
        self.assertEqual(screening.versions, {"local-watchlist": 2})
        self.assertEqual((screening.hit_count, screening.new_hit_count), (1, 1))

    def test_a_decided_false_match_is_shown_with_its_decision_and_not_raised_again(self):
        first = self.screen()
        decision = record_decision(
            result=self.hit(first),
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="Donor is a UK citizen born 1990; different person.",
            actor=self.security,
        )
        first.refresh_from_db()
        self.assertEqual((first.hit_count, first.new_hit_count), (0, 0))
        second = self.screen()
        self.assertEqual(second.subject, first.subject)
        result = self.hit(second)
        self.assertEqual(result.status, Status.CLEARED)
        self.assertEqual(result.prior_decision, decision)
        self.assertEqual((second.hit_count, second.new_hit_count), (0, 0))

    def test_decisions_persist_across_a_new_list_version_when_the_entry_is_unchanged(self):
        record_decision(
            result=self.hit(self.screen()),
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="different person",
            actor=self.security,
        )
        add_watchlist_entry(source=self.source, entry=person("Someone Else"), actor=WORKER)
        result = self.hit(self.screen())
        self.assertEqual(result.list_version.number, 3)
        self.assertEqual(result.status, Status.CLEARED)

    def test_a_decision_is_reviewed_again_when_the_list_entry_changes(self):
        record_decision(
            result=self.hit(self.screen()),
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="different person",
            actor=self.security,
        )
        entities = current_entities(self.source)
        changed = [
            e
            if "Viktor" not in e.caption
            else WatchlistEntry(
                name=e.caption,
                birth_dates=("1961-03-02",),
                countries=("RU", "BY"),
                entity_type="person",
            ).as_entity(e.entity_id, self.source)
            for e in entities
        ]
        publish_version(source=self.source, entities=changed, actor=WORKER)
        screening = self.screen()
        self.assertEqual(self.hit(screening).status, Status.REVIEW_AGAIN)
        self.assertEqual(screening.new_hit_count, 1)

    def test_a_true_match_stays_a_hit_but_is_not_new(self):
        record_decision(
            result=self.hit(self.screen()),
            verdict=Decision.Verdict.TRUE_MATCH,
            reason="same person: passport copy matches",
            actor=self.security,
        )
        screening = self.screen()
        self.assertEqual(self.hit(screening).status, Status.CONFIRMED)
        self.assertEqual((screening.hit_count, screening.new_hit_count), (1, 0))

    def test_a_partys_decision_does_not_clear_the_same_name_for_anyone_else(self):
        record_decision(
            result=self.hit(self.screen(party=self.party_a, actor=self.party_officer)),
            verdict=Decision.Verdict.FALSE_MATCH,
            reason="not our donor",
            actor=self.party_officer,
        )
        self.assertEqual(self.hit(self.screen(party=self.party_b)).status, Status.NEW)
        self.assertEqual(self.hit(self.screen()).status, Status.NEW)
        self.assertEqual(self.hit(self.screen(party=self.party_a)).status, Status.CLEARED)

    def test_a_decision_needs_a_reason_and_a_verdict(self):
        result = self.hit(self.screen())
        with self.assertRaisesRegex(ScreeningError, "reason"):
            record_decision(result=result, verdict="false_match", reason="  ", actor=self.security)
        with self.assertRaisesRegex(ScreeningError, "true match or false match"):
            record_decision(result=result, verdict="maybe", reason="x", actor=self.security)
        self.assertFalse(Decision.objects.exists())

    def test_unrelated_names_are_not_hits(self):
        screening = self.screen("Jonah Whitcombe")
        self.assertEqual(screening.hit_count, 0)
        self.assertFalse(screening.results.filter(is_match=True).exists())
