"""Who may see whose protective-security records (training, vetting, devices).

One place decides it: a person sees their own record, an office manager the people currently in
the offices they manage, a security officer everyone. Nobody else sees anyone, whatever their
directory rights (administrators run the platform; party officers need a grant, see training).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q

from portcullis.accounts.models import Membership, Person, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import PersonQuerySet, User


def protected_people(
    user: User | AnonymousUser, *, party_ids: Iterable[int] = ()
) -> PersonQuerySet:
    if not user.is_authenticated:
        return Person.objects.none()
    scope = user.scope
    if scope.has(Role.SECURITY_OFFICER):
        return Person.objects.all()
    q = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
    if scope.managed_office_ids:
        posts = Membership.objects.active().filter(office_id__in=scope.managed_office_ids)
        q |= Q(pk__in=posts.values("person_id"))  # a subquery: a join needed DISTINCT
    parties = list(party_ids)
    if parties:
        q |= Q(party_id__in=parties)
    return Person.objects.filter(q)


def sees_office(user: User | AnonymousUser, office_id: int) -> bool:
    """Whether the user may see an office's protective figures (not just their own row)."""
    if not user.is_authenticated:
        return False
    scope = user.scope
    return scope.has(Role.SECURITY_OFFICER) or office_id in scope.managed_office_ids
