"""Quarterly and weekly reports, nil returns, and the export in the Commission's layout."""

from datetime import date
from unittest import mock

from django.utils import timezone

from portcullis.donations import reporting
from portcullis.donations.models import Donation, ElectionPeriod, FiledReport, Recipient
from portcullis.donations.services.donations import decide_donation
from portcullis.donations.services.reports import ReportError, file_report
from portcullis.test import BaseTestCase

from .builders import accept, company, give, individual

TODAY = date(2027, 2, 10)


class Periods(BaseTestCase):
    def test_quarterly_reports_are_due_30_days_after_the_quarter(self):
        dues = [reporting.quarter(2026, n).due for n in (1, 2, 3, 4)]
        self.assertEqual(
            dues, [date(2026, 4, 30), date(2026, 7, 30), date(2026, 10, 30), date(2027, 1, 30)]
        )

    def test_weekly_reports_run_from_dissolution_to_polling_day_each_due_within_7_days(self):
        election = ElectionPeriod.objects.create(
            name="General election 2024", starts_on=date(2024, 5, 30), polling_day=date(2024, 7, 4)
        )
        weeks = reporting.weeks(election)
        self.assertEqual(
            (weeks[0].start, weeks[0].end, weeks[0].due),
            (date(2024, 5, 30), date(2024, 6, 5), date(2024, 6, 12)),
        )
        self.assertEqual(weeks[-1].end, date(2024, 7, 4))


class QuarterlyReport(BaseTestCase):
    def setUp(self):
        patcher = mock.patch.object(timezone, "localdate", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def year_of_gifts(self):
        donor = company()
        for value, day in (
            ("5000", date(2026, 2, 1)),
            ("5000", date(2026, 5, 1)),
            ("2000", date(2026, 8, 3)),
        ):
            accept(give(self.party_a, self.party_officer, value, day, donor), self.party_officer)
        small = give(self.party_a, self.party_officer, "400", date(2026, 8, 4), donor)  # exempt
        self.assertEqual(small.status, Donation.Status.EXEMPT)
        bad = give(
            self.party_a,
            self.party_officer,
            "3000",
            date(2026, 9, 1),
            individual("Unregistered Person", on_register=False),
        )
        decide_donation(
            donation=bad,
            actor=self.party_officer,
            decision=Donation.Status.RETURNED,
            decided_on=date(2026, 9, 20),
            evidence="Not on any register",
            return_method="Cheque",
        )
        return bad

    def test_gifts_crossing_the_threshold_in_q3_and_an_impermissible_one_are_in_q3(self):
        bad = self.year_of_gifts()
        q2 = reporting.quarter_lines(self.party_a, reporting.quarter(2026, 2))
        q3 = reporting.quarter_lines(self.party_a, reporting.quarter(2026, 3))
        self.assertEqual(q2, [])
        self.assertEqual(
            [str(line.donation.value) for line in q3], ["5000.00", "5000.00", "2000.00", "3000.00"]
        )
        self.assertTrue(all(line.aggregated for line in q3[:3]))
        self.assertEqual(q3[3].donation, bad)

    def test_the_export_has_the_commissions_columns_and_reads_back_without_loss(self):
        self.year_of_gifts()
        period = reporting.quarter(2026, 3)
        lines = reporting.quarter_lines(self.party_a, period)
        text = reporting.export_csv(reporting.iter_rows(lines, period, self.party_a, None))
        header = text.splitlines()[0].split(",")
        self.assertEqual(len(header), 29)
        self.assertEqual(
            header[:4], ["ECRef", "RegulatedEntityName", "RegulatedEntityType", "Value"]
        )
        rows = reporting.parse_export(text.encode())
        self.assertEqual(rows, list(reporting.iter_rows(lines, period, self.party_a, None)))
        self.assertEqual(reporting.export_csv(rows), text)
        returned = rows[3]
        self.assertEqual(
            (returned.DonorStatus, returned.DonationAction, returned.Postcode),
            ("impermissibledonor", "Returned", ""),
        )
        self.assertEqual(
            (rows[0].IsAggregation, rows[0].CompanyRegistrationNumber), ("True", "01234567")
        )

    def test_a_donor_name_that_looks_like_a_formula_is_escaped_and_reads_back_the_same(self):
        accept(
            give(
                self.party_a,
                self.party_officer,
                "12000",
                date(2026, 1, 5),
                individual("=HYPERLINK(1)"),
            ),
            self.party_officer,
        )
        period = reporting.quarter(2026, 1)
        lines = reporting.quarter_lines(self.party_a, period)
        text = reporting.export_csv(reporting.iter_rows(lines, period, self.party_a, None))
        self.assertIn("'=HYPERLINK(1)", text)
        self.assertEqual(reporting.parse_export(text.encode())[0].DonorName, "=HYPERLINK(1)")

    def test_another_partys_donations_are_not_in_the_report(self):
        accept(give(self.party_b, self.security, "20000", date(2026, 1, 5)), self.security)
        self.assertEqual(reporting.quarter_lines(self.party_a, reporting.quarter(2026, 1)), [])

    def test_a_quarter_with_nothing_is_filed_as_a_nil_return_and_four_exempt_the_party(self):
        for n in (1, 2, 3, 4):
            filed = file_report(
                party=self.party_a, period=reporting.quarter(2026, n), actor=self.party_officer
            )
            self.assertTrue(filed.is_nil)
        self.assertEqual(reporting.nil_streak(self.party_a), 4)
        with self.assertRaisesRegex(ReportError, "already filed"):
            file_report(
                party=self.party_a, period=reporting.quarter(2026, 1), actor=self.party_officer
            )
        with self.assertRaisesRegex(ReportError, "has not ended"):
            file_report(
                party=self.party_a, period=reporting.quarter(2027, 1), actor=self.party_officer
            )
        self.assertEqual(FiledReport.objects.count(), 4)

    def test_a_weekly_report_lists_large_central_donations_even_before_a_decision(self):
        election = ElectionPeriod.objects.create(
            name="By-election", starts_on=date(2026, 5, 1), polling_day=date(2026, 5, 20)
        )
        big = give(self.party_a, self.party_officer, "15000", date(2026, 5, 3))
        give(self.party_a, self.party_officer, "9000", date(2026, 5, 4))
        give(
            self.party_a,
            self.party_officer,
            "15000",
            date(2026, 5, 4),
            recipient=Recipient.UNIT,
            accounting_unit="Leeds",
        )
        week = reporting.weeks(election)[0]
        lines = reporting.week_lines(self.party_a, week)
        self.assertEqual([line.donation for line in lines], [big])
        self.assertEqual(big.status, Donation.Status.PENDING)
        self.assertEqual(reporting.week_lines(self.party_a, reporting.weeks(election)[1]), [])
