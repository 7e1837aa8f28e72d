"""Parsing a directory CSV (name, emails, office, role) into validated rows, reporting per row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portcullis.lib.csvsafe import CSVError, decode, read_rows

from .models import OFFICE_ROLES, Office, Organisation, PersonEmail, Role

MAX_ROWS = 20_000
LOOKUP_CHUNK = 2000  # addresses per query when finding who owns them
Progress = Callable[[int, int], None]  # rows done, rows in the file
REQUIRED_COLUMNS = {"name", "emails", "office", "role"}
_ROLE_BY_NAME = {r.value: r for r in Role} | {r.label.lower(): r for r in Role}


@dataclass
class DirectoryRow:
    line: int
    name: str
    emails: list[str]
    role: Role
    office: Office | None
    organisation: Organisation
    party: Organisation | None
    job_title: str


@dataclass
class ParsedDirectory:
    rows: list[DirectoryRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_directory(data: bytes, progress: Progress | None = None) -> ParsedDirectory:
    """Every row checked, with each bad line's problem; a fixed number of queries per file."""
    result = ParsedDirectory()
    try:
        lines = list(read_rows(decode(data), required=REQUIRED_COLUMNS))
    except CSVError as exc:
        result.errors.append((1, str(exc)))
        return result
    if len(lines) > MAX_ROWS:
        result.errors.append((1, f"The file has {len(lines)} rows; the limit is {MAX_ROWS}."))
        return result
    lookup = _Lookup()
    owners = _owners(lines)
    seen: dict[str, int] = {}
    for done, (line, cells) in enumerate(lines, start=1):
        try:
            row = _parse_row(line, cells, lookup)
            _check_unique_emails(row, seen, owners)
            result.rows.append(row)
        except ValidationError as exc:
            result.errors.append((line, " ".join(exc.messages)))
        if progress and (done % 1000 == 0 or done == len(lines)):
            progress(done, len(lines))
    if not result.rows and not result.errors:
        result.errors.append((1, "The file has a header but no people."))
    return result


def _owners(lines: list[tuple[int, dict[str, str]]]) -> dict[str, tuple[int, str]]:
    """Address → (person id, name) for every address in the file that is already someone's."""
    addresses = sorted(
        {
            e.strip().lower()
            for _, cells in lines
            for e in cells.get("emails", "").replace(",", ";").split(";")
            if e.strip()
        }
    )
    owners = {}
    for start in range(0, len(addresses), LOOKUP_CHUNK):
        chunk = addresses[start : start + LOOKUP_CHUNK]
        for address, person_id, name in PersonEmail.objects.filter(address__in=chunk).values_list(
            "address", "person_id", "person__full_name"
        ):
            owners[address] = (person_id, name)
    return owners


class _Lookup:
    """Offices and organisations by name, loaded once per file."""

    def __init__(self) -> None:
        self.offices: dict[str, list[Office]] = {}
        for office in Office.objects.select_related("organisation"):
            self.offices.setdefault(office.name.lower(), []).append(office)
        self.organisations = {
            key.lower(): org
            for org in Organisation.objects.all()
            for key in (org.name, org.short_name)
            if key
        }

    def office(self, name: str) -> Office:
        matches = self.offices.get(name.lower(), [])
        if not matches:
            raise ValidationError(f"There is no office called “{name}”.")
        if len(matches) > 1:
            raise ValidationError(f"More than one office is called “{name}”.")
        return matches[0]

    def organisation(self, name: str, *, kind: str | None = None) -> Organisation:
        org = self.organisations.get(name.lower())
        if org is None or (kind and org.kind != kind):
            raise ValidationError(f"There is no {kind or 'organisation'} called “{name}”.")
        return org


def _parse_row(line: int, cells: dict[str, str], lookup: _Lookup) -> DirectoryRow:
    name = cells.get("name", "")
    if not name or len(name) > 200:
        raise ValidationError("Enter the person's name (at most 200 characters).")
    role = _ROLE_BY_NAME.get(cells.get("role", "").lower())
    if role is None:
        raise ValidationError(
            f"“{cells.get('role', '')}” is not a role. Use one of: "
            + ", ".join(r.value for r in Role)
            + "."
        )
    office, organisation = _placement(role, cells, lookup)
    party_name = cells.get("party", "")
    party = lookup.organisation(party_name, kind=Organisation.Kind.PARTY) if party_name else None
    return DirectoryRow(
        line=line,
        name=name,
        emails=_emails(cells.get("emails", "")),
        role=role,
        office=office,
        organisation=organisation,
        party=party,
        job_title=cells.get("job_title", "")[:200],
    )


def _placement(
    role: Role, cells: dict[str, str], lookup: _Lookup
) -> tuple[Office | None, Organisation]:
    place = cells.get("office", "")
    if role in OFFICE_ROLES:
        if not place:
            raise ValidationError(f"A {role.label.lower()} needs an office.")
        office = lookup.office(place)
        return office, office.organisation
    org_name = cells.get("organisation") or place
    if not org_name:
        raise ValidationError(f"A {role.label.lower()} needs an organisation.")
    return None, lookup.organisation(org_name)


def _emails(raw: str) -> list[str]:
    emails = [e.strip().lower() for e in raw.replace(",", ";").split(";") if e.strip()]
    if not emails:
        raise ValidationError("Enter at least one e-mail address.")
    for address in emails:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(f"“{address}” is not a valid e-mail address.") from exc
    return emails


def _check_unique_emails(
    row: DirectoryRow, seen: dict[str, int], owners: dict[str, tuple[int, str]]
) -> None:
    for address in row.emails:
        if address in seen and seen[address] != row.line:
            raise ValidationError(f"{address} is also given on line {seen[address]}.")
        seen[address] = row.line
    people = {owners[a] for a in row.emails if a in owners}
    if len(people) > 1:
        raise ValidationError(
            "These addresses belong to different people already: "
            + ", ".join(sorted(name for _, name in people))
            + "."
        )
