"""The directory index finds exactly the people a comparison with everyone would find."""

from __future__ import annotations

import random
import re

from rapidfuzz import fuzz

from portcullis.phishing.analysis import Directory, DirectoryPerson
from portcullis.phishing.analysis.brands import fold


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = words(
    "Jane John Amanda Mohammed Muhammad Siobhan Zoë Chloe Oliver Olivia Priya Rahul Wei Mei "
    "Aleksandr Alexander Alexandra Katherine Catherine Kathryn Sean Shaun Eleanor Elinor Tom "
    "Thomas Ngozi Chidi Anna Hannah Jo Li Ian Ivan"
)
LAST = words(
    "Smith Smyth Brown Browne Qiu Chen Chan Hartwell Hartwel O'Neill Oneill Patel Patil "
    "Richardson Richards Williams Wilson Okafor Okoro Nowak Novak Kowalski Müller Mueller "
    "Fitzgerald Ng Wu Li Lee Leigh Jones Johns Ali Alley"
)


def people(rng: random.Random, count: int) -> list[DirectoryPerson]:
    made = []
    for n in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < 0.15:
            name = f"{name}-{rng.choice(LAST)}"
        if rng.random() < 0.05:
            name = rng.choice(LAST)  # one-word names exist too
        made.append(DirectoryPerson(name, (f"person{n}@parliament.uk",)))
    return made


def misspell(rng: random.Random, name: str) -> str:
    letters = list(name)
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(letters))
        action = rng.choice(("drop", "double", "swap", "case"))
        if action == "drop" and len(letters) > 2:
            letters.pop(at)
        elif action == "double":
            letters.insert(at, letters[at])
        elif action == "swap" and at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
        else:
            letters[at] = letters[at].swapcase()
    words = "".join(letters).split()
    if rng.random() < 0.3:
        words.reverse()
    return " ".join(words)


def compared_with_everyone(
    directory: list[DirectoryPerson], name: str, address: str
) -> list[DirectoryPerson]:
    """The analyser's rule, applied to every person in turn (as it was before the index)."""
    found = []
    local = re.sub(r"[._\-+0-9]+", " ", address.partition("@")[0]).split()
    for person in directory:
        if address in {e.lower() for e in person.emails}:
            continue
        by_name = (
            len(fold(name)) >= 4 and fuzz.token_sort_ratio(fold(name), fold(person.name)) >= 88
        )
        tokens = fold(person.name).split()
        by_local = len(tokens) >= 2 and all(t in local for t in tokens)
        if by_name or by_local:
            found.append(person)
    return found


def test_look_ups_find_the_same_people_as_comparing_with_everyone() -> None:
    rng = random.Random(20251118)
    everyone = people(rng, 1_000)
    directory = Directory(everyone)
    hits = 0
    for _ in range(600):
        person = rng.choice(everyone)
        name = misspell(rng, person.name) if rng.random() < 0.8 else rng.choice(FIRST)
        local = ".".join(fold(person.name).split()) if rng.random() < 0.3 else "info"
        address = rng.choice([f"{local}@gmail.com", person.emails[0], f"{local}.mp@x.example"])
        expected = compared_with_everyone(everyone, name, address)
        assert directory.borrowed_by(name, address) == expected, (name, address)
        hits += bool(expected)
    assert hits > 200  # the comparison above is not vacuous


def test_the_owner_of_an_address_is_not_impersonating_themselves() -> None:
    jane = DirectoryPerson("Jane Smith", ("jane.smith@parliament.uk",))
    other = DirectoryPerson("Jane Smith", ("jane.smith2@parliament.uk",))
    directory = Directory([jane, other])
    assert directory.borrowed_by("Jane Smith", "jane.smith@parliament.uk") == [other]
    assert directory.borrowed_by("", "jane.smith.mp@gmail.com") == [jane, other]
    assert directory.borrowed_by("Smith, Jane", "x@gmail.com") == [jane, other]


def test_short_and_empty_names_borrow_nobody() -> None:
    directory = Directory([DirectoryPerson("Li", ()), DirectoryPerson("Jo Ng", ())])
    assert directory.borrowed_by("Li", "li@gmail.com") == []
    assert directory.borrowed_by("", "") == []
    assert Directory().borrowed_by("Jane Smith", "jane@gmail.com") == []
