"""The directory laid out for look-up: whose name or address a sender may be borrowing.

A legislature's directory holds 15,000-20,000 people; comparing every sender with every one of
them cost more than the rest of the analysis together. Built once (the phishing app keeps one per
process), each look-up touches only the people who share enough of the sender's name or address:

* display names: a sender's name matches someone when the token-sorted similarity of the folded
  names is at least `NAME_SIMILARITY` (`Smith, Jane` is `Jane Smith`, `Jane Smyth` is close).
  Such a pair shares most two-letter pieces of the sorted names (an insertion or deletion
  breaks at most two), so it shares one of the query's rarest few pieces: only the names holding
  one of those are compared at all. The look-up finds exactly whom comparing with everyone
  would (`tests/test_directory.py` checks it against that);
* local parts: `jane.smith.mp@gmail.com` names Jane Smith when every word of her name is a word
  of the local part, so only people with one of those words are looked at.

Pure: no Django.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from portcullis.lib.observables import registrable_domain

from .brands import fold

NAME_SIMILARITY = 88  # rapidfuzz token_sort_ratio, 0-100
MIN_NAME_CHARS = 4  # shorter display names ("IT", "HR") borrow nobody's name
_LOCAL_SEPARATORS = re.compile(r"[._\-+0-9]+")


@dataclass(frozen=True)
class DirectoryPerson:
    """Someone whose name an attacker might borrow, with every address that is really theirs."""

    name: str
    emails: tuple[str, ...] = ()


def sorted_name(folded: str) -> str:
    return " ".join(sorted(folded.split()))


def _pieces(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _max_edits(left: int, right: int) -> int:
    """The most insertions and deletions two names of these lengths may differ by and still be
    `NAME_SIMILARITY` alike (similarity = 1 - edits / (left + right))."""
    return math.floor((100 - NAME_SIMILARITY) * (left + right) / 100 + 1e-9)


@lru_cache(maxsize=256)
def _fewest_shared(length: int) -> int:
    """The fewest two-letter pieces a name alike enough to a sorted name of `length` letters
    shares with it (counted with repeats). Each insertion or deletion breaks at most two of the
    longer name's `longest - 1` pieces; lengths further apart than the edits allowed are never
    alike."""
    needs = [
        max(length, other) - 1 - 2 * _max_edits(length, other)
        for other in range(1, 2 * length + 2)
        if abs(length - other) <= _max_edits(length, other)
    ]
    return min(needs)


class Directory:
    """People whose names an attacker might borrow, each with the addresses that are theirs."""

    def __init__(self, people: Iterable[DirectoryPerson] = ()) -> None:
        self.people = tuple(people)
        self._own = [frozenset(e.lower() for e in p.emails) for p in self.people]
        # Every address on file and the registrable domains they are under: a sender under
        # one of these is someone the organisation already deals with (not a first contact).
        self.addresses = frozenset().union(*self._own)
        self.domains = frozenset(
            registrable_domain(a.rpartition("@")[2]) for a in self.addresses if "@" in a
        )
        self._folded = [fold(p.name) for p in self.people]
        # sorted name -> people with it; pieces -> [(sorted name number, times it occurs)]
        self._names: list[str] = []
        self._holders: list[list[int]] = []
        self._numbers: dict[str, int] = {}
        for person, folded in enumerate(self._folded):
            key = sorted_name(folded)
            if key not in self._numbers:
                self._numbers[key] = len(self._names)
                self._names.append(key)
                self._holders.append([])
            self._holders[self._numbers[key]].append(person)
        # _postings[piece][n - 1]: the names holding `piece` at least n times, so the pieces two
        # names share (counted with repeats) are counted by C code, not a Python loop.
        self._postings: dict[str, list[list[int]]] = defaultdict(list)
        for number, key in enumerate(self._names):
            for piece, times in _pieces(key).items():
                levels = self._postings[piece]
                while len(levels) < times:
                    levels.append([])
                for level in levels[:times]:
                    level.append(number)
        self._words: dict[str, list[int]] = defaultdict(list)
        self._word_sets: list[frozenset[str]] = []
        for person, folded in enumerate(self._folded):
            words = folded.split()
            self._word_sets.append(frozenset(words))
            if len(words) >= 2:
                for word in set(words):
                    self._words[word].append(person)

    def __len__(self) -> int:
        return len(self.people)

    def borrowed_by(self, name: str, address: str) -> list[DirectoryPerson]:
        """People (in directory order) whose name the sender's display name or address local
        part borrows, leaving out the person the address really belongs to."""
        found = self._by_name(name) | self._by_local_part(address)
        return [self.people[p] for p in sorted(found) if address not in self._own[p]]

    def _by_name(self, name: str) -> set[int]:
        folded = fold(name)
        if len(folded) < MIN_NAME_CHARS or not self._names:
            return set()
        query = sorted_name(folded)
        found: set[int] = set()
        for number in self._candidates(query):
            if fuzz.ratio(query, self._names[number], score_cutoff=NAME_SIMILARITY):
                found.update(self._holders[number])
        return found

    def _candidates(self, query: str) -> set[int]:
        """Names sharing at least one of the query's rarest pieces: a name alike enough shares
        `need` of the query's pieces, so it holds one of any `pieces - need + 1` of them."""
        need = _fewest_shared(len(query))
        exact = self._numbers.get(query)
        if need <= 0:  # a one-letter name has no pieces to look up by
            return set(range(len(self._names)))
        lists: list[list[int]] = []
        for piece, times in _pieces(query).items():
            levels = self._postings.get(piece, [])
            lists += [levels[n] if n < len(levels) else [] for n in range(times)]
        lists.sort(key=len)
        found = set().union(*lists[: len(lists) - need + 1])
        return found if exact is None else found | {exact}

    def _by_local_part(self, address: str) -> set[int]:
        words = set(_LOCAL_SEPARATORS.sub(" ", address.partition("@")[0]).split())
        candidates = {p for word in words for p in self._words.get(word, ())}
        return {p for p in candidates if self._word_sets[p] <= words}
