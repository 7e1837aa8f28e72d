"""A wholly fictional legislature: the Parliament of Albion. No real politicians' names."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from portcullis.lib.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, demo_loader

from .models import MFA_ROLES, Membership, Office, Organisation, Person, PersonEmail, Role, User

HOUSES = [("Albion Lower Chamber", "Lower"), ("Albion Upper Chamber", "Upper")]
PARTIES = [("Progressive Union", "PU"), ("Heritage Party", "HP"), ("Liberal Alliance", "LA")]
SECURITY_TEAM = ("Parliamentary Security Department", "PSD")
MAIL_DOMAIN = "parliament.example"

GIVEN = [
    "Aisha",
    "Alasdair",
    "Amara",
    "Anders",
    "Aoife",
    "Arjun",
    "Beatrix",
    "Bronwen",
    "Callum",
    "Carys",
    "Cecily",
    "Cormac",
    "Dafydd",
    "Delphine",
    "Desmond",
    "Eilidh",
    "Elif",
    "Emeka",
    "Esme",
    "Farah",
    "Fergus",
    "Fenella",
    "Gideon",
    "Gwen",
    "Hamish",
    "Hana",
    "Idris",
    "Imogen",
    "Isla",
    "Jago",
    "Jonah",
    "Kemi",
    "Kenji",
    "Lachlan",
    "Leona",
    "Lowri",
    "Magnus",
    "Mairead",
    "Malik",
    "Mirela",
    "Niamh",
    "Nikhil",
    "Odile",
    "Orla",
    "Oskar",
    "Petra",
    "Quentin",
    "Rafferty",
    "Rhian",
    "Rohan",
    "Rosalind",
    "Saoirse",
    "Selin",
    "Soren",
    "Tamsin",
    "Teodor",
    "Ulrika",
    "Vikram",
    "Wren",
    "Xanthe",
    "Yusuf",
    "Zara",
    "Zofia",
]
FAMILY = [
    "Abernethy",
    "Adeyemi",
    "Ashdown",
    "Bellweather",
    "Blackthorn",
    "Carrow",
    "Castellane",
    "Dunmore",
    "Eskdale",
    "Fairbairn",
    "Farrant",
    "Galbraith",
    "Greaves",
    "Halloran",
    "Hawksworth",
    "Ingleby",
    "Jesmond",
    "Kestrel",
    "Kilbride",
    "Lockhart",
    "Maddox",
    "Marchbank",
    "Nakamura",
    "Oakes",
    "Okonjo",
    "Pennant",
    "Quayle",
    "Ravensworth",
    "Rutherglen",
    "Sallow",
    "Sedgwick",
    "Tregarthen",
    "Ulverston",
    "Vashti",
    "Wainwright",
    "Whitlock",
    "Yardley",
    "Zielinski",
    "Thornbury",
    "Penhallow",
    "Ashworth",
    "Coldstream",
    "Dewhurst",
    "Elsworth",
    "Fernhill",
    "Goldthorpe",
    "Harkness",
    "Ivesdale",
]
PLACES = [
    "Northbridge",
    "Fenmoor",
    "Ashcombe",
    "Briarwood",
    "Caldermouth",
    "Drayfield",
    "Eastmere",
    "Fallowdene",
    "Glenharrow",
    "Hollinsby",
    "Ironbridge",
    "Kestwick",
    "Larkhill",
    "Merrowdale",
    "Netherby",
    "Oakhampton",
    "Pelham",
    "Quarrydown",
    "Rushmere",
    "Saltash",
    "Thistlewood",
    "Underhill",
    "Valebrook",
    "Westerby",
    "Yarrowford",
    "Ambleside",
    "Blackmoor",
    "Coldharbour",
    "Dunstead",
    "Elmbridge",
    "Foxley",
    "Greystoke",
    "Hartfield",
    "Kingsmead",
    "Lindenfold",
    "Marshwood",
    "Newstead",
    "Oxenholme",
    "Pinewood",
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    job_title: str


# The stable sign-ins documented in README. The first three share one office.
DEMO_USERS = [
    DemoUser(
        "member@demo.test", "Eleanor Hartwell", Role.MEMBER, "Member for Northbridge and Fenmoor"
    ),
    DemoUser("staff@demo.test", "Tomasz Achebe", Role.STAFFER, "Caseworker"),
    DemoUser("manager@demo.test", "Grace Pemberton", Role.OFFICE_MANAGER, "Office manager"),
    DemoUser("outsider@demo.test", "Ruairi Castellane", Role.STAFFER, "Parliamentary assistant"),
    DemoUser(
        "security@demo.test", "Samira Okonjo", Role.SECURITY_OFFICER, "Protective security officer"
    ),
    DemoUser("gate@demo.test", "Declan Farrant", Role.GATE_OFFICER, "Gate officer, North entrance"),
    DemoUser(
        "party@demo.test", "Harriet Ingleby", Role.PARTY_COMPLIANCE_OFFICER, "Compliance officer"
    ),
    DemoUser("admin@demo.test", "Morgan Whitlock", Role.ADMINISTRATOR, "Platform administrator"),
]


@demo_loader("accounts", order=10)
def load() -> str:
    rng = random.Random(2026)  # noqa: S311 - demo names, not secrets
    houses = [_org(name, short, Organisation.Kind.HOUSE) for name, short in HOUSES]
    parties = [_org(name, short, Organisation.Kind.PARTY) for name, short in PARTIES]
    security = _org(*SECURITY_TEAM, Organisation.Kind.SECURITY_TEAM)
    names = _name_pool(rng)
    offices = _member_offices(houses, parties, names, rng)
    # The first office's manager is the demo manager sign-in, added below.
    staff_count = sum(_staff(o, names, rng, with_manager=i > 0) for i, o in enumerate(offices))
    for i in range(4):
        _person_with_role(
            next(names), security, Role.SECURITY_OFFICER, "Protective security officer"
        )
        _person_with_role(next(names), security, Role.GATE_OFFICER, f"Gate officer {i + 1}")
    _demo_users(houses[0], offices, parties[0], security)
    return f"{len(offices)} member offices, {staff_count} staff, security team and demo sign-ins"


def _org(name: str, short: str, kind: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"short_name": short, "kind": kind}
    )
    return org


def _name_pool(rng: random.Random) -> Iterator[str]:
    pairs = [(g, f) for g in GIVEN for f in FAMILY]
    rng.shuffle(pairs)
    return iter(f"{g} {f}" for g, f in pairs)


def _member_offices(
    houses: list[Organisation],
    parties: list[Organisation],
    names: Iterator[str],
    rng: random.Random,
) -> list[Office]:
    offices = []
    for i in range(40):
        house = houses[0] if i < 30 else houses[1]
        member_name = DEMO_USERS[0].name if i == 0 else next(names)
        party = parties[i % 3]
        constituency = f"{PLACES[i]} and {PLACES[(i * 7 + 3) % len(PLACES)]}" if i < 30 else ""
        suffix = " MP" if i < 30 else ""
        office, _ = Office.objects.get_or_create(
            organisation=house,
            name=f"Office of {member_name}{suffix}",
            defaults={"constituency": constituency},
        )
        title = f"Member for {constituency}" if constituency else "Member of the Upper Chamber"
        person = _person(member_name, title, party)
        _membership(person, house, office, Role.MEMBER)
        offices.append(office)
    return offices


def _staff(office: Office, names: Iterator[str], rng: random.Random, *, with_manager: bool) -> int:
    count = rng.choice([3, 3, 4, 4, 4])
    for n in range(count):
        role = Role.OFFICE_MANAGER if n == 0 else Role.STAFFER
        title = (
            "Office manager"
            if n == 0
            else rng.choice(
                ["Caseworker", "Parliamentary assistant", "Researcher", "Communications officer"]
            )
        )
        person = _person(next(names), title, None, personal_mail=rng.random() < 0.3)
        _membership(person, office.organisation, office, role)
    return count


def _person(
    name: str, title: str, party: Organisation | None, *, personal_mail: bool = False
) -> Person:
    address = _address(name)
    existing = PersonEmail.objects.filter(address=address).select_related("person").first()
    if existing:
        return existing.person
    person = Person.objects.create(full_name=name, job_title=title, party=party)
    PersonEmail.objects.create(person=person, address=address, is_primary=True)
    if personal_mail:
        PersonEmail.objects.create(person=person, address=address.replace(MAIL_DOMAIN, "gmail.com"))
    return person


def _address(name: str) -> str:
    return name.lower().replace(" ", ".").replace("'", "") + "@" + MAIL_DOMAIN


def _membership(person: Person, org: Organisation, office: Office | None, role: Role) -> None:
    Membership.objects.get_or_create(
        person=person, organisation=org, office=office, role=role, ended_on__isnull=True
    )


def _person_with_role(name: str, org: Organisation, role: Role, title: str) -> Person:
    person = _person(name, title, None)
    _membership(person, org, None, role)
    return person


def _demo_users(
    house: Organisation, offices: list[Office], party: Organisation, security: Organisation
) -> None:
    home, elsewhere = offices[0], offices[1]
    for demo in DEMO_USERS:
        person = _person(demo.name, demo.job_title, party if demo.role == Role.MEMBER else None)
        PersonEmail.objects.get_or_create(address=demo.email, defaults={"person": person})
        office, org = {
            Role.MEMBER: (home, house),
            Role.STAFFER: (home, house),
            Role.OFFICE_MANAGER: (home, house),
            Role.PARTY_COMPLIANCE_OFFICER: (None, party),
            Role.SECURITY_OFFICER: (None, security),
            Role.GATE_OFFICER: (None, security),
            Role.ADMINISTRATOR: (None, security),
        }[demo.role]
        if demo.email == "outsider@demo.test":
            office = elsewhere
        _membership(person, org, office, demo.role)
        _demo_login(demo, person)


def _demo_login(demo: DemoUser, person: Person) -> None:
    user = User.objects.filter(email=demo.email).first()
    if user is None:
        admin = demo.role == Role.ADMINISTRATOR
        user = User.objects.create_user(
            demo.email, DEMO_PASSWORD, person=person, is_staff=admin, is_superuser=admin
        )
    if demo.role in MFA_ROLES:
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
        )
