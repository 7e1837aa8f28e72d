"""The aggregation rules against the Commission's worked examples (pure: no database)."""

from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from portcullis.donations.aggregation import Benefit, Thresholds, reportable

NOW = Thresholds(Decimal(11180), Decimal(2230), Decimal(2230))
OLD = Thresholds(Decimal(7500), Decimal(1500), Decimal(1500))


def gift(id, value, day, source="acme", unit=""):
    return Benefit(id, source, source.title(), unit, Decimal(value), day)


def now(day):
    return NOW


class CentralParty(SimpleTestCase):
    def test_a_gift_over_the_threshold_is_reported_in_its_own_quarter(self):
        found = reportable([gift(1, 12000, date(2026, 2, 1))], now)
        self.assertEqual(found[1].quarter, (2026, 1))
        self.assertFalse(found[1].aggregated)

    def test_gifts_that_cross_the_threshold_in_q3_are_all_reported_in_q3(self):
        # £5,000 in February, £5,000 in May, £2,000 in August: £12,000 passes £11,180 in Q3.
        found = reportable(
            [
                gift(1, 5000, date(2026, 2, 10)),
                gift(2, 5000, date(2026, 5, 10)),
                gift(3, 2000, date(2026, 8, 10)),
            ],
            now,
        )
        self.assertEqual({found[i].quarter for i in (1, 2, 3)}, {(2026, 3)})
        self.assertTrue(all(found[i].aggregated for i in (1, 2, 3)))
        self.assertIn("£12,000", found[3].reason)

    def test_until_the_total_passes_nothing_is_reported(self):
        found = reportable([gift(1, 5000, date(2026, 2, 10)), gift(2, 6180, date(2026, 5, 1))], now)
        self.assertEqual(found, {})  # £11,180 is not *over* £11,180

    def test_after_the_threshold_further_gifts_are_reported_once_they_pass_2230(self):
        found = reportable(
            [
                gift(1, 11500, date(2026, 1, 5)),
                gift(2, 1500, date(2026, 4, 5)),  # £1,500 further: not yet
                gift(3, 1000, date(2026, 7, 5)),  # £2,500 further: Q3
                gift(4, 600, date(2026, 10, 5)),  # £600 further: not reported
            ],
            now,
        )
        self.assertEqual(found[1].quarter, (2026, 1))
        self.assertEqual((found[2].quarter, found[3].quarter), ((2026, 3), (2026, 3)))
        self.assertIn("further benefits", found[3].reason)
        self.assertNotIn(4, found)

    def test_each_calendar_year_starts_again(self):
        found = reportable([gift(1, 6000, date(2025, 11, 1)), gift(2, 6000, date(2026, 2, 1))], now)
        self.assertEqual(found, {})

    def test_different_sources_are_not_added_together(self):
        found = reportable(
            [gift(1, 6000, date(2026, 1, 1), "a"), gift(2, 6000, date(2026, 1, 2), "b")], now
        )
        self.assertEqual(found, {})


class AccountingUnits(SimpleTestCase):
    def test_a_unit_reports_a_source_over_2230_and_units_are_not_combined_in_q1_to_q3(self):
        found = reportable(
            [
                gift(1, 1500, date(2026, 1, 10), unit="Leeds"),
                gift(2, 1000, date(2026, 2, 10), unit="Leeds"),  # Leeds: £2,500
                gift(3, 2000, date(2026, 2, 10), unit="York"),  # York: £2,000 only
            ],
            now,
        )
        self.assertEqual((found[1].quarter, found[2].quarter), ((2026, 1), (2026, 1)))
        self.assertNotIn(3, found)

    def test_the_year_end_sweep_reports_unit_gifts_with_the_central_partys_in_q4(self):
        # Central £9,000 and two units £2,000 each: none passes its own threshold, but swept
        # together at the year's end they come to £13,000, over £11,180.
        found = reportable(
            [
                gift(1, 9000, date(2026, 3, 1)),
                gift(2, 2000, date(2026, 4, 1), unit="Leeds"),
                gift(3, 2000, date(2026, 6, 1), unit="York"),
            ],
            now,
        )
        self.assertEqual({found[i].quarter for i in (1, 2, 3)}, {(2026, 4)})
        self.assertTrue(found[2].as_central and found[3].as_central)
        self.assertFalse(found[1].as_central)
        self.assertIn("Year-end sweep", found[1].reason)

    def test_the_sweep_leaves_a_source_under_the_central_threshold_alone(self):
        found = reportable(
            [gift(1, 5000, date(2026, 3, 1)), gift(2, 2000, date(2026, 4, 1), unit="Leeds")], now
        )
        self.assertEqual(found, {})


class RuleChangingDuringTheYear(SimpleTestCase):
    def test_the_threshold_in_force_on_the_day_of_the_crossing_gift_decides(self):
        # A threshold rises from £7,500 to £11,180 on 1 July: £8,000 by May is reported in Q2;
        # the same £8,000 given by September is not.
        def rising(day):
            return OLD if day < date(2026, 7, 1) else NOW

        before = reportable(
            [gift(1, 4000, date(2026, 2, 1)), gift(2, 4000, date(2026, 5, 1))], rising
        )
        after = reportable(
            [gift(1, 4000, date(2026, 2, 1)), gift(2, 4000, date(2026, 9, 1))], rising
        )
        self.assertEqual(before[2].quarter, (2026, 2))
        self.assertEqual(after, {})
