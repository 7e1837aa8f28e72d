"""The reported-e-mail queue's summary rows (`MessageGroup`) against the copies they summarise:
after filing, overriding, bulk verdicts and an alert request, each row equals what grouping the
copies counts; and the rows are the security team's alone, written as the attack."""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q
from django.test import override_settings

from portcullis.phishing.models import MessageGroup, ReportedEmail
from portcullis.phishing.services import reports
from portcullis.test import BaseTestCase

from .app_builders import credential_lure, impersonation, jane_in_directory, message


def counted() -> dict[str, dict]:
    """What grouping every copy says, the way the queue used to read it."""
    rows = ReportedEmail.objects.values("fingerprint").annotate(
        copies=Count("pk"),
        awaiting=Count("pk", filter=Q(triaged_at__isnull=True)),
        first_at=Min("created_at"),
        latest_at=Max("created_at"),
        top_score=Max("score"),
    )
    found = {}
    for row in rows:
        fingerprint = row.pop("fingerprint")
        copies = ReportedEmail.objects.filter(fingerprint=fingerprint)
        first = copies.order_by("created_at", "pk").first()
        top = copies.order_by("-score", "pk").first()
        assert first is not None and top is not None
        found[fingerprint] = row | {
            "first_report": first.pk,
            "subject": first.subject,
            "sender": first.sender,
            "verdict": top.verdict,
        }
    return found


def summarised() -> dict[str, dict]:
    fields = [
        "copies",
        "awaiting",
        "first_at",
        "latest_at",
        "top_score",
        "first_report",
        "subject",
        "sender",
        "verdict",
    ]
    return {
        g["fingerprint"]: {f: g[f] for f in fields}
        for g in MessageGroup.objects.values("fingerprint", *fields)
    }


@override_settings(PROTECTED_DOMAINS=["parliament.example"])
class MessageGroupTests(BaseTestCase):
    maxDiff = None

    def setUp(self) -> None:
        jane_in_directory()

    def file(self, raw: bytes, user: object) -> ReportedEmail:
        return reports.file_report(raw=raw, actor=user, source="upload")  # type: ignore[arg-type]

    def test_each_row_equals_what_counting_the_copies_says(self) -> None:
        lure = [
            self.file(credential_lure(to, token), user)
            for to, token, user in (
                ("staffer@test.example", "a81f3c9e2b7d4f60a1", self.staffer),
                ("member@test.example", "ffe0c2d19a8b7c6d5e", self.member),
                ("manager@test.example", "0c0ffee0c0ffee0c0f", self.manager),
            )
        ]
        jane = self.file(impersonation(), self.staffer)
        self.assertEqual(summarised(), counted())
        self.assertEqual(MessageGroup.objects.get(fingerprint=lure[0].fingerprint).copies, 3)

        # An alert from one copy triages that copy only: two still await.
        reports.request_alert(report=lure[1], note="Credential lure", actor=self.security)
        self.assertEqual(summarised(), counted())
        self.assertEqual(MessageGroup.objects.get(fingerprint=lure[0].fingerprint).awaiting, 2)

        # The team's verdict covers every copy, and a later copy adopts it.
        reports.override_verdict(
            report=lure[0], verdict="malicious", reason="Credential phish", actor=self.security
        )
        later = self.file(
            credential_lure("outsider@test.example", "1234abcd5678ef90ab"), self.outsider
        )
        self.assertEqual(later.fingerprint, lure[0].fingerprint)
        self.assertEqual(summarised(), counted())
        self.assertEqual(
            MessageGroup.objects.filter(fingerprint=lure[0].fingerprint)
            .values_list("copies", "awaiting")
            .get(),
            (4, 0),
        )

        invoice = self.file(
            message(sender="billing@pay.example", subject="Invoice 7", text="Pay now"),
            self.member,
        )
        reports.override_many(
            reports=[jane, invoice], verdict="clean", reason="Known senders", actor=self.security
        )
        self.assertEqual(summarised(), counted())
        self.assertFalse(MessageGroup.objects.awaiting_triage().exists())

    def test_a_group_shows_the_first_copy_and_the_top_scored_verdict(self) -> None:
        first = self.file(
            credential_lure("staffer@test.example", "a81f3c9e2b7d4f60a1"), self.staffer
        )
        self.file(credential_lure("member@test.example", "ffe0c2d19a8b7c6d5e"), self.member)
        group = MessageGroup.objects.get(fingerprint=first.fingerprint)
        self.assertEqual(group.first_report_id, first.pk)
        self.assertEqual((group.subject, group.sender), (first.subject, first.sender))
        page = self.client_for(self.security).get("/phishing/reports/")
        self.assertEqual(
            [(r["first_pk"], r["copies"]) for r in page.context["rows"]], [(first.pk, 2)]
        )

    def test_attack_a_reporter_reads_no_group_of_other_peoples_copies(self) -> None:
        """The member reported one copy of a lure three people reported: the group (how many
        reported it, when, the top score) counts the others' copies, so it is not theirs."""
        for to, token, user in (
            ("staffer@test.example", "a81f3c9e2b7d4f60a1", self.staffer),
            ("member@test.example", "ffe0c2d19a8b7c6d5e", self.member),
            ("manager@test.example", "0c0ffee0c0ffee0c0f", self.manager),
        ):
            self.file(credential_lure(to, token), user)
        for user in (self.member, self.manager, self.party_officer, self.gate):
            with self.subTest(user=user.email):
                self.assertFalse(MessageGroup.objects.visible_to(user).exists())
                client = self.client_for(user)
                self.assertEqual(client.get("/phishing/reports/?show=all").status_code, 403)
                self.assertEqual(client.get("/phishing/reports/export.csv").status_code, 403)
        # Their own copy stays theirs to read, and only that one.
        mine = ReportedEmail.objects.visible_to(self.member)
        self.assertEqual(list(mine.values_list("submitted_by", flat=True)), [self.member.pk])
        self.assertEqual(MessageGroup.objects.visible_to(self.security).count(), 1)
