"""Shared test helpers: the cast of people every app's tests use, and signing them in."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import Client, TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portcullis.accounts.models import (
    OFFICE_ROLES,
    Membership,
    Office,
    Organisation,
    Person,
    PersonEmail,
    Role,
    User,
)

PASSWORD = "correct horse battery staple"


def make_org(name: str, kind: str = Organisation.Kind.HOUSE) -> Organisation:
    return Organisation.objects.create(name=name, short_name=name[:10], kind=kind)


def make_office(name: str, organisation: Organisation) -> Office:
    return Office.objects.create(name=name, organisation=organisation)


def make_person(name: str, email: str | None = None, party: Organisation | None = None) -> Person:
    person = Person.objects.create(full_name=name, party=party)
    if email:
        PersonEmail.objects.create(person=person, address=email, is_primary=True)
    return person


def make_user(
    email: str,
    role: str,
    *,
    office: Office | None = None,
    organisation: Organisation | None = None,
    party: Organisation | None = None,
    name: str | None = None,
) -> User:
    """A person with a login and one active membership."""
    person = make_person(name or email.split("@")[0].replace(".", " ").title(), email, party)
    org = office.organisation if office else organisation
    assert org is not None, "a role needs an office or an organisation"
    Membership.objects.create(
        person=person, organisation=org, office=office if role in OFFICE_ROLES else None, role=role
    )
    return User.objects.create_user(email, PASSWORD, person=person)


def sign_in(client: Client, user: User) -> Client:
    """Sign in without the UI; privileged users also get a verified second factor."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.requires_mfa:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def api_token_for(user: User, *, scopes: list[str] | None = None, write: bool = True) -> str:
    """A live integration token's key for `user`; roles that need MFA get the security team's
    allowance first (recorded by an operator), as the README describes."""
    from portcullis.accounts import services, tokens
    from portcullis.ledger.actors import COMMAND

    if user.requires_mfa:
        services.allow_api_tokens(user=user, actor=COMMAND, reason="test integration")
    _, key = services.issue_api_token(
        user=user,
        actor=COMMAND,
        name="Test integration",
        scopes=scopes or sorted(tokens.SCOPES),
        days=30,
        read_only=not write,
    )
    return key


def api_client_for(user: User, **kwargs: Any) -> Client:
    """A client that calls the API with an integration token of `user` (and no session)."""
    return Client(HTTP_AUTHORIZATION=f"Token {api_token_for(user, **kwargs)}")


class Cast:
    """Two houses' offices, two parties, the security team and one person in every role.

    `member`, `staffer` and `manager` share office A; `outsider` works in office B. `party_officer`
    is compliance officer of party A, to which `member` belongs.
    """

    house: Organisation
    other_house: Organisation
    party_a: Organisation
    party_b: Organisation
    security_team: Organisation
    office_a: Office
    office_b: Office
    member: User
    staffer: User
    manager: User
    outsider: User
    security: User
    gate: User
    party_officer: User
    admin: User

    @classmethod
    def build(cls, target: Any) -> None:
        t = target
        t.house = make_org("Test Lower Chamber")
        t.other_house = make_org("Test Upper Chamber")
        t.party_a = make_org("Party A", Organisation.Kind.PARTY)
        t.party_b = make_org("Party B", Organisation.Kind.PARTY)
        t.security_team = make_org("Security Team", Organisation.Kind.SECURITY_TEAM)
        t.office_a = make_office("Office A", t.house)
        t.office_b = make_office("Office B", t.other_house)
        t.member = make_user("member@test.example", Role.MEMBER, office=t.office_a, party=t.party_a)
        t.staffer = make_user("staffer@test.example", Role.STAFFER, office=t.office_a)
        t.manager = make_user("manager@test.example", Role.OFFICE_MANAGER, office=t.office_a)
        t.outsider = make_user("outsider@test.example", Role.STAFFER, office=t.office_b)
        t.security = make_user(
            "security@test.example", Role.SECURITY_OFFICER, organisation=t.security_team
        )
        t.gate = make_user("gate@test.example", Role.GATE_OFFICER, organisation=t.security_team)
        t.party_officer = make_user(
            "party@test.example", Role.PARTY_COMPLIANCE_OFFICER, organisation=t.party_a
        )
        t.admin = make_user("admin@test.example", Role.ADMINISTRATOR, organisation=t.security_team)


class BaseTestCase(TestCase):
    """A TestCase with the cast built once per class (see `Cast`)."""

    cast_roles: ClassVar[tuple[str, ...]] = (
        "member",
        "staffer",
        "manager",
        "outsider",
        "security",
        "gate",
        "party_officer",
        "admin",
    )

    @classmethod
    def setUpTestData(cls) -> None:
        Cast.build(cls)

    def client_for(self, user: User) -> Client:
        return sign_in(Client(), user)
