"""Donations and loans to a party, the rules they are judged by, referrals to the party desk, and
members' registers of interests.

Who sees what:
- a donation, a filed report and a referral belong to one party: its compliance officers see
  them, the security team sees all, nobody else sees any (another party's is a 404);
- a register entry belongs to one member: the member sees their own, the security team all;
- the rules are public law (and bills): everyone signed in reads them.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from portcullis.accounts.models import Organisation, Person, Role
from portcullis.intel.tlp import Tlp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User


def _party_q(user: User | AnonymousUser, field: str = "party") -> Q | None:
    """Party data: the security team sees all, a party's compliance officers their own party's;
    None means nothing at all (never "everyone")."""
    if not user.is_authenticated:
        return None
    scope = user.scope
    if scope.has(Role.SECURITY_OFFICER):
        return Q(pk__isnull=False)
    if scope.has(Role.PARTY_COMPLIANCE_OFFICER) and scope.party_ids:
        return Q(**{f"{field}__in": scope.party_ids})
    return None


class PartyQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | AnonymousUser) -> PartyQuerySet:
        q = _party_q(user)
        return self.none() if q is None else self.filter(q)


# --- the rules ----------------------------------------------------------------------------------


class LegalStatus(models.TextChoices):
    LAW = "law", "In law"
    BILL = "bill", "In a bill before Parliament"
    PROPOSAL = "proposal", "Proposed by the government"


class RuleKey(models.TextChoices):
    """What a rule row sets. Amounts are in pounds; a rule applies to benefits *over* it."""

    EXEMPT_FLOOR = "exempt_floor", "Benefits of this value or less are exempt"
    CENTRAL_THRESHOLD = "central_threshold", "Central party reporting threshold"
    FURTHER_THRESHOLD = "further_threshold", "Further benefits from a source already reported"
    UNIT_THRESHOLD = "unit_threshold", "Accounting unit reporting threshold"
    DONEE_THRESHOLD = "donee_threshold", "Regulated donee reporting threshold"
    CANDIDATE_FLOOR = "candidate_floor", "Candidate donations count above"
    ASSOCIATION_REGISTRATION = (
        "association_registration",
        "Unincorporated association must register with the Commission above",
    )
    DECISION_DAYS = "decision_days", "Days to decide on a donation"
    QUARTER_REPORT_DAYS = "quarter_report_days", "Days after a quarter to report"
    WEEKLY_REPORT_DAYS = "weekly_report_days", "Days after an election week to report"
    CRYPTO_MORATORIUM = "crypto_moratorium", "No donations by cryptoasset"
    KNOW_YOUR_DONOR = "know_your_donor", "Know-your-donor risk assessment above"
    COMPANY_TESTS = "company_tests", "Company revenue, UK headquarters and UK control tests"
    SHELL_COMPANY_CAP = "shell_company_cap", "Cap for companies that fail the company tests"
    GIFT_UK = "register_gift_uk", "Register gifts and hospitality from UK sources over"
    VISIT = "register_visit", "Register visits outside the UK over"
    GIFT_OVERSEAS = "register_gift_overseas", "Register gifts from sources outside the UK over"
    SUPPORT = "register_support", "Register donations and support over"
    REGISTER_DAYS = "register_days", "Days to register an interest"


class PublicQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | AnonymousUser) -> Any:
        return self.all() if user.is_authenticated else self.none()


class PolicyRuleQuerySet(PublicQuerySet):
    def in_force_on(self, day: date) -> PolicyRuleQuerySet:
        """Rows dated for `day` that apply: law, or a bill or proposal an administrator switched
        on."""
        return self.filter(
            Q(effective_from__lte=day),
            Q(effective_to__isnull=True) | Q(effective_to__gte=day),
            Q(legal_status=LegalStatus.LAW) | Q(switched_on=True),
        )


class PolicyRule(models.Model):
    """One dated rule: a threshold, a period or a prohibition, with its legal status and source.
    A donation is judged by the rows in force on the day it was received."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=40, choices=RuleKey.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    days = models.PositiveIntegerField(null=True, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)  # the last day in force
    legal_status = models.CharField(max_length=10, choices=LegalStatus.choices)
    source = models.CharField(max_length=500)
    note = models.CharField(max_length=500, blank=True)
    # Bills and proposals are off until an administrator switches them on (ledger rule.switch).
    switched_on = models.BooleanField(default=False)

    objects = PolicyRuleQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.get_key_display()} from {self.effective_from:%d %b %Y}"

    @property
    def applies(self) -> bool:
        return self.legal_status == LegalStatus.LAW or self.switched_on

    @property
    def value_in_words(self) -> str:
        if self.amount is not None:
            return f"£{self.amount:,.0f}"
        if self.days is not None:
            return f"{self.days} days"
        return "Applies"


class ElectionPeriod(models.Model):
    """From dissolution to polling day: weekly reports of large donations (PPERA s.63)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    starts_on = models.DateField()  # dissolution
    polling_day = models.DateField()

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


# --- donations ----------------------------------------------------------------------------------


class DonorType(models.TextChoices):
    """PPERA s.54(2) and what the Commission reports as donor status."""

    INDIVIDUAL = "individual", "Individual on a UK electoral register"
    COMPANY = "company", "UK company"
    REGISTERED_PARTY = "registeredpoliticalparty", "Registered political party"
    TRADE_UNION = "tradeunion", "Trade union"
    BUILDING_SOCIETY = "buildingsociety", "Building society"
    LLP = "limitedliabilitypartnership", "Limited liability partnership"
    FRIENDLY_SOCIETY = "friendlysociety", "Friendly or registered society"
    ASSOCIATION = "unincorporatedassociation", "Unincorporated association"
    TRUST = "trust", "Trust"
    PUBLIC_FUND = "publicfund", "Public fund"
    OTHER = "other", "Other (not a permissible donor)"
    UNIDENTIFIABLE = "unidentifiabledonor", "Donor cannot be identified"


COMPANY_LIKE = {DonorType.COMPANY, DonorType.LLP}


class Method(models.TextChoices):
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CARD = "card", "Card"
    CRYPTOASSET = "cryptoasset", "Cryptoasset"
    IN_KIND = "in_kind", "In kind (goods, services, property)"


class Recipient(models.TextChoices):
    CENTRAL = "central", "Central party"
    UNIT = "unit", "Accounting unit"
    MEMBER = "member", "Member (regulated donee)"
    CANDIDATE = "candidate", "Candidate"


class Donation(models.Model):
    class Kind(models.TextChoices):
        DONATION = "donation", "Donation"
        LOAN = "loan", "Loan"

    class Status(models.TextChoices):
        EXEMPT = "exempt", "Exempt (£500 or less)"
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"
        FORFEITED = "forfeited", "Sent to the Electoral Commission"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DONATION)
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    accounting_unit = models.CharField(max_length=200, blank=True)
    recipient_name = models.CharField(max_length=200, blank=True)  # the member or candidate
    method = models.CharField(max_length=20, choices=Method.choices)
    nature = models.CharField(max_length=500, blank=True)  # what an in-kind benefit is
    value = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    is_bequest = models.BooleanField(default=False)
    is_sponsorship = models.BooleanField(default=False)

    donor_type = models.CharField(max_length=30, choices=DonorType.choices)
    donor_name = models.CharField(max_length=300, blank=True)
    donor_address = models.CharField(max_length=500, blank=True)
    donor_postcode = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=12, blank=True)
    # Evidence the recipient recorded when checking (PPERA s.54, Commission guidance).
    on_register = models.BooleanField(default=False)
    register_evidence = models.CharField(max_length=500, blank=True)
    incorporated_in_uk = models.BooleanField(default=False)
    trading_in_uk = models.BooleanField(default=False)
    company_evidence = models.CharField(max_length=500, blank=True)
    officers = models.JSONField(default=list, blank=True)  # directors and beneficial owners

    # What the checks found: [{"check": ..., "passed": bool, "reason": ...}], and screening.
    checks = models.JSONField(default=list, blank=True)
    permissible = models.BooleanField(default=False)
    hold_reasons = models.JSONField(default=list, blank=True)
    screenings = models.ManyToManyField("screening.Screening", blank=True, related_name="+")
    origin = models.OneToOneField(
        "intel.Origin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    status = models.CharField(max_length=10, choices=Status.choices)
    decision_due_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)  # accepted, returned or forfeited
    decision_evidence = models.TextField(max_length=4000, blank=True)
    return_method = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_stage = models.PositiveSmallIntegerField(default=0)  # see services.reminders
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ec_ref = models.CharField(max_length=40, blank=True)  # the Commission's, once reported

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["party", "received_on"]),
            models.Index(fields=["party", "status", "decision_due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: £{self.value:,.2f} from {self.donor_shown}"

    def get_absolute_url(self) -> str:
        return reverse("donations:detail", args=[self.public_id])

    @property
    def reference(self) -> str:
        return "D-" + self.public_id.hex[:8].upper()

    @property
    def donor_shown(self) -> str:
        return self.donor_name or "Unidentified donor"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_impermissible(self) -> bool:
        return self.status in (self.Status.RETURNED, self.Status.FORFEITED)

    @property
    def source_key(self) -> str:
        return source_key_of(self.company_number, self.donor_type, self.donor_name)

    @property
    def unit(self) -> str:
        return self.accounting_unit if self.recipient == Recipient.UNIT else ""

    def days_left(self, today: date) -> int | None:
        if not self.is_pending or self.decision_due_on is None:
            return None
        return (self.decision_due_on - today).days

    def accepted_date(self) -> date | None:
        """When it counts as accepted: the decision, or (undecided) the end of the 30 days."""
        if self.status == self.Status.ACCEPTED:
            return self.decided_on
        return None


class FiledReport(models.Model):
    """A quarterly or weekly report the party says it sent to the Commission (nil or not)."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "Quarterly report"
        WEEK = "week", "Weekly pre-poll report"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    rows = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=14, decimal_places=2)
    is_nil = models.BooleanField()
    sha256 = models.CharField(max_length=64)  # of the export filed
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "period_start"], name="filed_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d %b %Y}"


# --- the party desk -----------------------------------------------------------------------------


class Referral(models.Model):
    """A party asks the security team about a prospective donor, candidate or staffer. The
    briefing returned has two sides of a tear-line: `briefing` the party reads, `basis` the
    security team keeps (need-to-know `donations.briefing_basis`)."""

    class Subject(models.TextChoices):
        DONOR = "donor", "Prospective donor"
        CANDIDATE = "candidate", "Prospective candidate"
        STAFFER = "staffer", "Prospective member of staff"

    class Status(models.TextChoices):
        REFERRED = "referred", "With the security team"
        BRIEFED = "briefed", "Briefing returned"
        WITHDRAWN = "withdrawn", "Withdrawn by the party"

    class Recommendation(models.TextChoices):
        NO_CONCERNS = "no_concerns", "No concerns"
        CARE = "care", "Proceed with care"
        DO_NOT_PROCEED = "do_not_proceed", "Do not proceed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    name = models.CharField(max_length=300)
    birth_date = models.CharField(max_length=10, blank=True)  # a year or a full date
    country = models.CharField(max_length=2, blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    what_party_knows = models.TextField(max_length=10_000, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    screening = models.ForeignKey(
        "screening.Screening", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.OneToOneField(
        "intel.Origin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    tlp = models.CharField(max_length=12, choices=Tlp.choices, default=Tlp.AMBER_STRICT)
    briefing = models.TextField(max_length=10_000, blank=True)  # above the tear-line
    basis = models.TextField(max_length=20_000, blank=True)  # below it: the security team's
    briefed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    briefed_at = models.DateTimeField(null=True, blank=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_subject_display()})"

    def get_absolute_url(self) -> str:
        return reverse("donations:referral", args=[self.public_id])

    @property
    def reference(self) -> str:
        return "Q-" + self.public_id.hex[:8].upper()

    @property
    def is_briefed(self) -> bool:
        return self.status == self.Status.BRIEFED


# --- registers of interests ---------------------------------------------------------------------


class InterestQuerySet(models.QuerySet["Interest"]):
    def visible_to(self, user: User | AnonymousUser) -> InterestQuerySet:
        """A member's own register entries; the security team's all of them."""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.has(Role.SECURITY_OFFICER):
            return self.all()
        if scope.has(Role.MEMBER) and scope.person_id is not None:
            return self.filter(member_id=scope.person_id)
        return self.none()


class Interest(models.Model):
    """A gift, benefit, hospitality, support or visit outside the UK a member must register."""

    class Category(models.TextChoices):
        SUPPORT = "2", "2 Donations and other support for activities as a member"
        GIFT_UK = "3", "3 Gifts, benefits and hospitality from UK sources"
        VISIT = "4", "4 Visits outside the UK"
        GIFT_OVERSEAS = "5", "5 Gifts and benefits from sources outside the UK"

    class House(models.TextChoices):
        COMMONS = "commons", "House of Commons"
        LORDS = "lords", "House of Lords"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    house = models.CharField(max_length=10, choices=House.choices, default=House.COMMONS)
    category = models.CharField(max_length=2, choices=Category.choices)
    donor_name = models.CharField(max_length=300)
    donor_status = models.CharField(max_length=30, choices=DonorType.choices)
    description = models.CharField(max_length=1000)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    accepted_on = models.DateField()
    new_member = models.BooleanField(default=False)  # registering within a month of election
    destination = models.CharField(max_length=2, blank=True)  # a visit's country
    foreign_state_funded = models.BooleanField(default=False)
    registrable = models.BooleanField()
    register_by = models.DateField(null=True, blank=True)
    registered_on = models.DateField(null=True, blank=True)
    reminded_stage = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["-accepted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.donor_name}"

    def get_absolute_url(self) -> str:
        return reverse("donations:interest", args=[self.public_id])

    def is_overdue(self, today: date) -> bool:
        return bool(
            self.registrable
            and self.registered_on is None
            and self.register_by
            and today > self.register_by
        )


def source_key_of(company_number: str, donor_type: str, donor_name: str) -> str:
    """Same source, for aggregation: a company by its number, anyone else by type and name."""
    if company_number:
        return f"company:{company_number.upper()}"
    return f"{donor_type}:{' '.join(donor_name.casefold().split())}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


ZERO = Decimal("0")
ONE_DAY = timedelta(days=1)
