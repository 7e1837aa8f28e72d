from django.test import TestCase

from portcullis.accounts import demo as accounts_demo
from portcullis.screening import demo
from portcullis.screening.models import (
    Decision,
    ListEntity,
    ListSource,
    ListVersion,
    MonitoredSubject,
    Screening,
)
from portcullis.screening.tests.builders import shared_files


class DemoTests(TestCase):
    def test_the_demo_loads_every_list_and_a_second_run_changes_nothing(self):
        shared_files()
        accounts_demo.load()
        summary = demo.load()
        self.assertIn("4 sanctions files in force", summary)
        self.assertEqual(
            set(ListSource.objects.values_list("slug", flat=True)),
            {
                "un-sc",
                "uk-ofsi",
                "opensanctions",
                "opensanctions-eu-sample",
                "persons-of-concern-demo",
            },
        )
        self.assertEqual(MonitoredSubject.objects.count(), 1)
        self.assertEqual(Decision.objects.get().verdict, "false_match")
        visitor = Screening.objects.get(purpose="visitor pre-screening")
        self.assertEqual(visitor.results.get(is_match=True).caption, "Oleg Vantorin")
        counts = [m.objects.count() for m in (ListVersion, ListEntity, Screening, Decision)]
        demo.load()
        self.assertEqual(
            counts, [m.objects.count() for m in (ListVersion, ListEntity, Screening, Decision)]
        )
